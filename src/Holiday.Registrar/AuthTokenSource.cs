using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Holiday.Registrar;

/// <summary>Where the admin API's bearer token comes from, given the <c>AuthTokenParameter</c> property.</summary>
internal interface IAuthTokenSource
{
    /// <summary>Reads the token.</summary>
    /// <param name="parameterName">The property's value, e.g. <c>/aws/reference/secretsmanager/restate-cloud-token</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token, without the <c>Bearer</c> prefix.</returns>
    Task<string> GetTokenAsync(string parameterName, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the token with SSM <c>GetParameter</c> (with decryption). A name under
/// <c>/aws/reference/secretsmanager/</c> makes Parameter Store return a Secrets Manager secret's string, so a secret
/// works without a Secrets Manager client; the function's role then needs <c>ssm:GetParameter</c> and
/// <c>secretsmanager:GetSecretValue</c> on the secret (and <c>kms:Decrypt</c> if it has its own key).
/// </summary>
internal sealed class SsmAuthTokenSource : IAuthTokenSource, IDisposable
{
    // Created on first use: registrations without a token never need AWS credentials or a region.
    private readonly Lazy<AmazonSimpleSystemsManagementClient> _client = new(() => new AmazonSimpleSystemsManagementClient());

    public async Task<string> GetTokenAsync(string parameterName, CancellationToken cancellationToken)
    {
        var response = await _client.Value.GetParameterAsync(
            new GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellationToken);
        var value = response.Parameter?.Value?.Trim();
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"SSM parameter {parameterName} is empty.")
            : value;
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
