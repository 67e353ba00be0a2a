using System.Text.RegularExpressions;

namespace Restate.Sdk.Testing.Lambda;

/// <summary>Builds the Lambda function ARNs the <see cref="LambdaEmulator"/> answers to.</summary>
public static partial class LambdaArn
{
    /// <summary>The region used when none is given: <c>us-east-1</c>.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The account id used when none is given: <c>123456789012</c> (the AWS documentation's example).</summary>
    public const string DefaultAccountId = "123456789012";

    /// <summary>
    /// The qualified ARN <c>arn:aws:lambda:&lt;region&gt;:&lt;account&gt;:function:&lt;name&gt;:&lt;qualifier&gt;</c>,
    /// the form restate-server requires when a Lambda deployment is registered.
    /// </summary>
    /// <param name="functionName">Function name: 1–64 letters, digits, <c>-</c> or <c>_</c>.</param>
    /// <param name="qualifier">A version (<c>1</c>, <c>$LATEST</c>) or an alias (<c>live</c>).</param>
    /// <param name="region">AWS region; restate-server sends the invocation to this region.</param>
    /// <param name="accountId">12-digit account id.</param>
    /// <returns>The ARN.</returns>
    /// <exception cref="ArgumentException">A part is not valid for an ARN.</exception>
    public static string Qualified(
        string functionName,
        string qualifier,
        string region = DefaultRegion,
        string accountId = DefaultAccountId)
    {
        ValidateName(functionName);
        ValidateQualifier(qualifier);
        if (!RegionPattern().IsMatch(region))
        {
            throw new ArgumentException($"'{region}' is not an AWS region name.", nameof(region));
        }

        if (!AccountPattern().IsMatch(accountId))
        {
            throw new ArgumentException($"'{accountId}' is not a 12-digit AWS account id.", nameof(accountId));
        }

        return $"arn:aws:lambda:{region}:{accountId}:function:{functionName}:{qualifier}";
    }

    internal static void ValidateName(string functionName)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        if (!NamePattern().IsMatch(functionName))
        {
            throw new ArgumentException(
                $"'{functionName}' is not a Lambda function name (1-64 letters, digits, '-' or '_').",
                nameof(functionName));
        }
    }

    internal static void ValidateQualifier(string qualifier)
    {
        ArgumentNullException.ThrowIfNull(qualifier);
        if (qualifier != "$LATEST" && !QualifierPattern().IsMatch(qualifier))
        {
            throw new ArgumentException(
                $"'{qualifier}' is not a Lambda version or alias ('$LATEST', digits, or letters, digits, '-', '_').",
                nameof(qualifier));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex QualifierPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountPattern();
}
