using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Holiday.Registrar;

/// <summary>The custom resource's properties, checked: what to register where, and how to authenticate.</summary>
/// <param name="AdminUrl">Restate's admin API base URL (http or https).</param>
/// <param name="DeploymentArn">The qualified Lambda function ARN (version or alias) to register.</param>
/// <param name="AssumeRoleArn">The role Restate assumes to invoke the function, if any.</param>
/// <param name="AuthTokenParameter">The SSM parameter holding the admin API's bearer token (Restate Cloud), if any.</param>
/// <param name="ExpectedServices">Service names the registered deployment must expose; empty when not checked.</param>
internal sealed record RegistrationProperties(Uri AdminUrl, string DeploymentArn, string? AssumeRoleArn, string? AuthTokenParameter,
    IReadOnlyList<string> ExpectedServices)
{
    public const string AdminUrlName = "AdminUrl";
    public const string DeploymentArnName = "DeploymentArn";
    public const string AssumeRoleArnName = "AssumeRoleArn";
    public const string AuthTokenParameterName = "AuthTokenParameter";
    public const string ExpectedServicesName = "ExpectedServices";

    /// <summary>Checks the properties.</summary>
    /// <param name="properties">The event's <c>ResourceProperties</c>.</param>
    /// <param name="result">The checked properties.</param>
    /// <param name="error">What is wrong, naming the property.</param>
    /// <returns>Whether the properties are usable.</returns>
    public static bool TryParse(IReadOnlyDictionary<string, JsonElement>? properties,
        [NotNullWhen(true)] out RegistrationProperties? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (properties is null)
        {
            error = $"The event has no ResourceProperties; {AdminUrlName} and {DeploymentArnName} are required.";
            return false;
        }

        if (!TryGetString(properties, AdminUrlName, required: true, out var adminUrlText, out error)
            || !TryGetString(properties, DeploymentArnName, required: true, out var deploymentArn, out error)
            || !TryGetString(properties, AssumeRoleArnName, required: false, out var assumeRoleArn, out error)
            || !TryGetString(properties, AuthTokenParameterName, required: false, out var authTokenParameter, out error)
            || !TryGetString(properties, ExpectedServicesName, required: false, out var expectedServicesText, out error))
        {
            return false;
        }

        if (!TryParseAdminUrl(adminUrlText!, out var baseUrl))
        {
            error = $"Property {AdminUrlName} '{adminUrlText}' is not an absolute http(s) URL without query, such as https://restate.example.com:9070.";
            return false;
        }

        if (!IsQualifiedFunctionArn(deploymentArn!))
        {
            error = $"Property {DeploymentArnName} '{deploymentArn}' is not a qualified Lambda function ARN " +
                "(arn:aws:lambda:<region>:<account>:function:<name>:<version or alias>); Restate needs the qualifier.";
            return false;
        }

        if (assumeRoleArn is not null && !IsRoleArn(assumeRoleArn))
        {
            error = $"Property {AssumeRoleArnName} '{assumeRoleArn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).";
            return false;
        }

        var expectedServices = expectedServicesText is null
            ? []
            : expectedServicesText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        result = new RegistrationProperties(baseUrl, deploymentArn!, assumeRoleArn, authTokenParameter, expectedServices);
        return true;
    }

    /// <summary>An absolute http(s) URL without query or fragment, as a base URL ending with '/'.</summary>
    internal static bool TryParseAdminUrl(string text, [NotNullWhen(true)] out Uri? baseUrl)
    {
        baseUrl = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var adminUrl)
            || (adminUrl.Scheme != Uri.UriSchemeHttp && adminUrl.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(adminUrl.Query) || !string.IsNullOrEmpty(adminUrl.Fragment))
        {
            return false;
        }
        // A base URL must end with '/' for relative paths ("health", "deployments") to extend rather than replace it.
        baseUrl = adminUrl.AbsolutePath.EndsWith('/') ? adminUrl : new Uri(adminUrl.AbsoluteUri + "/", UriKind.Absolute);
        return true;
    }

    /// <summary><c>arn:&lt;partition&gt;:lambda:&lt;region&gt;:&lt;account&gt;:function:&lt;name&gt;:&lt;qualifier&gt;</c>.</summary>
    internal static bool IsQualifiedFunctionArn(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length == 8
            && parts[0] == "arn"
            && parts[1].Length > 0
            && parts[2] == "lambda"
            && parts[3].Length > 0
            && parts[4].Length > 0
            && parts[5] == "function"
            && parts[6].Length > 0
            && parts[7].Length > 0
            && !arn.Any(char.IsWhiteSpace);
    }

    private static bool IsRoleArn(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6
            && parts[0] == "arn"
            && parts[2] == "iam"
            && parts[5].StartsWith("role/", StringComparison.Ordinal)
            && parts[5].Length > "role/".Length
            && !arn.Any(char.IsWhiteSpace);
    }

    /// <summary>Reads a string property: blank counts as absent; anything but a string is an error.</summary>
    internal static bool TryGetString(IReadOnlyDictionary<string, JsonElement> properties, string name, bool required,
        out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (properties.TryGetValue(name, out var element) && element.ValueKind != JsonValueKind.Null)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                error = $"Property {name} must be a string, not {element.ValueKind}.";
                return false;
            }
            var text = element.GetString()!.Trim();
            value = text.Length == 0 ? null : text;
        }

        if (value is null && required)
        {
            error = $"Property {name} is missing or empty.";
            return false;
        }
        return true;
    }
}
