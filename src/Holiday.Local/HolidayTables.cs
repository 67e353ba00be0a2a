using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Holiday.Hosting;

namespace Holiday.Local;

/// <summary>Creates the Holiday tables (for DynamoDB Local; in AWS the CDK stack owns them).</summary>
public static class HolidayTables
{
    /// <summary>The partition key attribute of every table (string).</summary>
    public const string PartitionKey = "pk";

    /// <summary>The sort key attribute of Flights, Cars and Payments (string).</summary>
    public const string SortKey = "sk";

    private static readonly TimeSpan ActivePollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Creates the tables that do not exist yet, all on-demand (<c>PAY_PER_REQUEST</c>): Flights, Cars and Payments
    /// keyed <c>pk</c> (S, HASH) + <c>sk</c> (S, RANGE), Trips keyed <c>pk</c> (S, HASH). Then waits until all four
    /// are <c>ACTIVE</c>. Calling it again is harmless.
    /// </summary>
    /// <param name="client">A client for the target DynamoDB.</param>
    /// <param name="names">The table names.</param>
    /// <param name="ct">Cancels the creation or the wait.</param>
    /// <returns>A task that completes once the four tables are active.</returns>
    /// <exception cref="ArgumentException">A name is blank, or two names are the same.</exception>
    /// <exception cref="InvalidOperationException">A table exists with a different key schema.</exception>
    public static async Task CreateAsync(IAmazonDynamoDB client, TableNames names, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(names);
        var tables = new[]
        {
            (Name: names.Flights, HasSortKey: true),
            (Name: names.Cars, HasSortKey: true),
            (Name: names.Payments, HasSortKey: true),
            (Name: names.Trips, HasSortKey: false),
        };
        if (tables.Any(table => string.IsNullOrWhiteSpace(table.Name)))
        {
            throw new ArgumentException($"Every table name must be set: {names}.", nameof(names));
        }

        if (tables.Select(table => table.Name).Distinct(StringComparer.Ordinal).Count() != tables.Length)
        {
            throw new ArgumentException($"The four table names must differ: {names}.", nameof(names));
        }

        await Task.WhenAll(tables.Select(table => CreateIfAbsentAsync(client, table.Name, table.HasSortKey, ct)))
            .ConfigureAwait(false);
    }

    private static async Task CreateIfAbsentAsync(IAmazonDynamoDB client, string name, bool hasSortKey, CancellationToken ct)
    {
        var table = await TryDescribeAsync(client, name, ct).ConfigureAwait(false);
        if (table is null)
        {
            try
            {
                var created = await client.CreateTableAsync(CreateRequest(name, hasSortKey), ct).ConfigureAwait(false);
                table = created.TableDescription;
            }
            catch (ResourceInUseException)
            {
                // Created meanwhile by another caller.
                table = await TryDescribeAsync(client, name, ct).ConfigureAwait(false);
            }
        }

        while (table is null || table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(ActivePollInterval, ct).ConfigureAwait(false);
            table = await TryDescribeAsync(client, name, ct).ConfigureAwait(false);
        }

        EnsureKeySchema(table, hasSortKey);
    }

    private static CreateTableRequest CreateRequest(string name, bool hasSortKey)
    {
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(PartitionKey, ScalarAttributeType.S)],
        };
        if (hasSortKey)
        {
            request.KeySchema.Add(new KeySchemaElement(SortKey, KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition(SortKey, ScalarAttributeType.S));
        }

        return request;
    }

    private static async Task<TableDescription?> TryDescribeAsync(IAmazonDynamoDB client, string name, CancellationToken ct)
    {
        try
        {
            var response = await client.DescribeTableAsync(new DescribeTableRequest { TableName = name }, ct)
                .ConfigureAwait(false);
            return response.Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static void EnsureKeySchema(TableDescription table, bool hasSortKey)
    {
        var actual = (table.KeySchema ?? []).Select(key => $"{key.AttributeName} {key.KeyType}");
        var expected = hasSortKey
            ? new[] { $"{PartitionKey} {KeyType.HASH}", $"{SortKey} {KeyType.RANGE}" }
            : [$"{PartitionKey} {KeyType.HASH}"];
        if (!actual.SequenceEqual(expected, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"Table {table.TableName} exists with key schema [{string.Join(", ", actual)}], " +
                $"expected [{string.Join(", ", expected)}]. Delete it or use another table name.");
        }
    }
}
