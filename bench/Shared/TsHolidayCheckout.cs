using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Holiday.Bench;

/// <summary>
/// What the trip tools need of the TypeScript original (restatedev/restate-holiday), shared by both (linked): its
/// checkout, which must lie outside this repository, and its tables (<c>pk</c> + <c>sk</c>) on DynamoDB Local.
/// </summary>
internal static class TsHolidayCheckout
{
    /// <summary>
    /// Checks <c>--ts-holiday-dir</c>: given, outside <paramref name="repositoryRoot"/>, existing, a restate-holiday
    /// checkout (<c>src/trips.ts</c>), and holding every file of <paramref name="built"/> (path relative to the
    /// checkout, and what to do when it is missing).
    /// </summary>
    /// <param name="directory">The option's value (absolute), or null when not given.</param>
    /// <param name="repositoryRoot">This repository, which the checkout must lie outside of.</param>
    /// <param name="requiredBy">Who needs the checkout, for the message, e.g. "the ts target".</param>
    /// <param name="built">The files the tool runs, each with the step that makes it.</param>
    /// <exception cref="ArgumentException">One of the checks fails; the message names <c>--ts-holiday-dir</c>.</exception>
    public static void Check(string? directory, string repositoryRoot, string requiredBy,
        IEnumerable<(string RelativePath, string Hint)> built)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        ArgumentNullException.ThrowIfNull(built);
        if (directory is null)
        {
            throw new ArgumentException(
                $"--ts-holiday-dir is required by {requiredBy}: a checkout of restatedev/restate-holiday outside this repository (see docs/benchmarks.md).");
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot)) + Path.DirectorySeparatorChar;
        if ((Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"--ts-holiday-dir must be outside the repository ({repositoryRoot}): the TypeScript original is never part of it; got '{directory}'.");
        }

        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"--ts-holiday-dir '{directory}' does not exist.");
        }

        if (!File.Exists(Path.Combine(directory, "src", "trips.ts")))
        {
            throw new ArgumentException($"--ts-holiday-dir '{directory}' has no src/trips.ts: is it a restatedev/restate-holiday checkout?");
        }

        foreach (var (relativePath, hint) in built)
        {
            if (!File.Exists(Path.Combine(directory, relativePath)))
            {
                throw new ArgumentException($"--ts-holiday-dir '{directory}' has no {relativePath}: {hint}.");
            }
        }
    }

    /// <summary>
    /// Creates one of the original's tables (<c>pk</c> hash + <c>sk</c> range, on demand) unless it exists, and waits
    /// until it is active.
    /// </summary>
    public static async Task CreateTableAsync(IAmazonDynamoDB client, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = name,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
            }, ct);
        }
        catch (ResourceInUseException)
        {
            // Already there (a DynamoDB Local data directory that is reused).
        }

        while ((await client.DescribeTableAsync(name, ct)).Table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(100, ct);
        }
    }
}
