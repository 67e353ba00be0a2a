using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda;

/// <summary>
/// Runs a <see cref="RestateEndpoint"/> as an AWS Lambda function on a custom runtime (<c>provided.al2023</c>), as the
/// <c>Main</c> of a Native-AOT <c>bootstrap</c>:
/// <code>
/// return await RestateLambda.RunAsync(() => RestateEndpoint.CreateBuilder().Bind(greeter).WithIdentityKeysFromEnvironment().Build());
/// </code>
/// An endpoint built without <see cref="RestateEndpointBuilder.WithLoggerFactory"/> logs to stdout, which Lambda sends to
/// CloudWatch Logs (see <see cref="RestateLambdaHandler(RestateEndpoint)"/>).
/// </summary>
public static class RestateLambda
{
    /// <summary>The environment variable <see cref="IdentityKeysFromEnvironment"/> reads by default.</summary>
    public const string IdentityKeysVariable = Restate.Sdk.DependencyInjection.RestateOptions.IdentityKeysVariable;

    /// <summary>
    /// Starts a function whose services and their dependencies come from dependency injection, configured from the
    /// environment variables (see <see cref="RestateLambdaBuilder"/>):
    /// <code>
    /// var builder = RestateLambda.CreateBuilder();
    /// builder.Services.AddSingleton&lt;IGreetings, Greetings&gt;();
    /// builder.Services.AddRestate(restate => restate.AddService&lt;Greeter&gt;());
    /// return await builder.RunAsync();
    /// </code>
    /// </summary>
    /// <returns>The builder.</returns>
    public static RestateLambdaBuilder CreateBuilder()
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        return new RestateLambdaBuilder(services, configuration);
    }

    /// <summary>
    /// Initializes the function with <paramref name="configure"/>, then serves Lambda invocations until the process
    /// ends. When <paramref name="configure"/> throws (say, a malformed identity key), the error is reported to Lambda
    /// as an initialization error and the returned exit code is 1.
    /// </summary>
    /// <param name="configure">Builds the endpoint; runs once, during the function's init phase.</param>
    /// <param name="cancellationToken">Stops serving (Lambda itself freezes or kills the process instead).</param>
    /// <returns>The process exit code: 1 when initialization failed, 0 when <paramref name="cancellationToken"/> stopped the loop.</returns>
    /// <exception cref="InvalidOperationException"><c>AWS_LAMBDA_RUNTIME_API</c> is not set: this is not a Lambda sandbox.</exception>
    /// <exception cref="HttpRequestException">The Lambda Runtime API failed; the process should exit.</exception>
    public static Task<int> RunAsync(Func<RestateEndpoint> configure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return RunAsync(_ => Task.FromResult(configure()), cancellationToken);
    }

    /// <summary>
    /// Like <see cref="RunAsync(Func{RestateEndpoint}, CancellationToken)"/>, with an asynchronous setup (for example
    /// reading identity keys or other settings from a parameter store).
    /// </summary>
    /// <param name="configureAsync">Builds the endpoint; runs once, during the function's init phase.</param>
    /// <param name="cancellationToken">Stops serving (Lambda itself freezes or kills the process instead).</param>
    /// <returns>The process exit code: 1 when initialization failed, 0 when <paramref name="cancellationToken"/> stopped the loop.</returns>
    /// <exception cref="InvalidOperationException"><c>AWS_LAMBDA_RUNTIME_API</c> is not set: this is not a Lambda sandbox.</exception>
    /// <exception cref="HttpRequestException">The Lambda Runtime API failed; the process should exit.</exception>
    public static Task<int> RunAsync(Func<CancellationToken, Task<RestateEndpoint>> configureAsync, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configureAsync);
        var runtimeApi = LambdaRuntime.RuntimeApiFromEnvironment(
            "RestateLambda.RunAsync serves invocations inside an AWS Lambda custom runtime (provided.al2023). " +
            "To run the services locally, host the endpoint over HTTP with Restate.Sdk.AspNetCore.");
        return RunAsync(configureAsync, runtimeApi, LambdaRuntime.DefaultDeadlineMargin, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="RunAsync(Func{CancellationToken, Task{RestateEndpoint}}, CancellationToken)"/>, and calls
    /// <paramref name="beforeResponseAsync"/> after each invocation has been handled, just before its response is posted
    /// to Lambda. That is the last moment the function surely runs: once Lambda has the response it may freeze the
    /// sandbox, and whatever telemetry is still buffered waits, maybe forever. Flush it here (for example with an
    /// OpenTelemetry <c>TracerProvider.ForceFlush</c>). An exception from the callback is written to stderr and does not
    /// fail the invocation.
    /// </summary>
    /// <param name="configureAsync">Builds the endpoint; runs once, during the function's init phase.</param>
    /// <param name="beforeResponseAsync">
    /// Runs once per invocation, successful or not, with the invocation's token (it fires 500 ms before the deadline).
    /// </param>
    /// <param name="cancellationToken">Stops serving (Lambda itself freezes or kills the process instead).</param>
    /// <returns>The process exit code: 1 when initialization failed, 0 when <paramref name="cancellationToken"/> stopped the loop.</returns>
    /// <exception cref="InvalidOperationException"><c>AWS_LAMBDA_RUNTIME_API</c> is not set: this is not a Lambda sandbox.</exception>
    /// <exception cref="HttpRequestException">The Lambda Runtime API failed; the process should exit.</exception>
    public static Task<int> RunAsync(Func<CancellationToken, Task<RestateEndpoint>> configureAsync,
        Func<CancellationToken, Task> beforeResponseAsync, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configureAsync);
        ArgumentNullException.ThrowIfNull(beforeResponseAsync);
        var runtimeApi = LambdaRuntime.RuntimeApiFromEnvironment(
            "RestateLambda.RunAsync serves invocations inside an AWS Lambda custom runtime (provided.al2023). " +
            "To run the services locally, host the endpoint over HTTP with Restate.Sdk.AspNetCore.");
        return RunAsync(configureAsync, runtimeApi, LambdaRuntime.DefaultDeadlineMargin, cancellationToken, beforeResponseAsync);
    }

    /// <summary>
    /// Reads request-identity public keys (<c>publickeyv1_…</c>) from a comma-separated environment variable; an
    /// unset or empty variable gives none. Pass them to <see cref="RestateEndpointBuilder.WithIdentityKeys"/>.
    /// </summary>
    /// <param name="variable">The variable name; <c>RESTATE_IDENTITY_KEYS</c> by default.</param>
    public static IReadOnlyList<string> IdentityKeysFromEnvironment(string variable = IdentityKeysVariable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        return ParseKeys(Environment.GetEnvironmentVariable(variable));
    }

    /// <summary>Splits a comma-separated key list, ignoring blanks.</summary>
    internal static string[] ParseKeys(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    internal static Task<int> RunAsync(Func<CancellationToken, Task<RestateEndpoint>> configureAsync, string runtimeApi,
        TimeSpan deadlineMargin, CancellationToken cancellationToken, Func<CancellationToken, Task>? beforeResponseAsync = null) =>
        LambdaRuntime.RunAsync(runtimeApi, async ct => CreateFunction(await configureAsync(ct), beforeResponseAsync),
            deadlineMargin, cancellationToken);

    /// <summary>The function body on the generic runtime loop: <see cref="CreateHandler"/>.</summary>
    internal static LambdaFunction CreateFunction(RestateEndpoint endpoint, Func<CancellationToken, Task>? beforeResponseAsync = null) =>
        LambdaRuntime.CreateFunction(CreateHandler(endpoint, beforeResponseAsync));

    /// <summary>
    /// The endpoint as a generic <see cref="LambdaRuntime"/> handler: event JSON in, <see cref="RestateLambdaHandler"/>,
    /// response JSON out; then <paramref name="beforeResponseAsync"/>, if any, whatever the outcome.
    /// </summary>
    internal static Func<ReadOnlyMemory<byte>, LambdaInvocationContext, CancellationToken, Task<ReadOnlyMemory<byte>>> CreateHandler(
        RestateEndpoint endpoint, Func<CancellationToken, Task>? beforeResponseAsync = null)
    {
        var handler = new RestateLambdaHandler(endpoint);
        return async (payload, _, cancellationToken) =>
        {
            try
            {
                var request = JsonSerializer.Deserialize(payload.Span, LambdaJsonContext.Default.ApiGatewayProxyRequest)
                    ?? throw new JsonException("The Lambda event is JSON null, not an API Gateway proxy request.");
                var response = await handler.HandleAsync(request, cancellationToken);
                return JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.ApiGatewayProxyResponse);
            }
            finally
            {
                if (beforeResponseAsync is not null)
                {
                    await RunBeforeResponseAsync(beforeResponseAsync, cancellationToken);
                }
            }
        };
    }

    internal static async Task RunBeforeResponseAsync(Func<CancellationToken, Task> beforeResponseAsync, CancellationToken cancellationToken)
    {
        try
        {
            await beforeResponseAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // Telemetry must not fail the invocation it describes.
            await Console.Error.WriteLineAsync($"The before-response callback failed: {e}");
        }
    }
}

/// <summary>Lambda-friendly settings for <see cref="RestateEndpointBuilder"/>.</summary>
public static class RestateLambdaEndpointBuilderExtensions
{
    /// <summary>
    /// Accepts only requests signed with one of the request-identity keys listed, comma-separated, in an environment
    /// variable (none listed: requests are not checked).
    /// </summary>
    /// <param name="builder">The endpoint builder.</param>
    /// <param name="variable">The variable name; <c>RESTATE_IDENTITY_KEYS</c> by default.</param>
    /// <exception cref="ArgumentException">A listed key is malformed (when the endpoint is built).</exception>
    public static RestateEndpointBuilder WithIdentityKeysFromEnvironment(this RestateEndpointBuilder builder,
        string variable = RestateLambda.IdentityKeysVariable)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithIdentityKeys(RestateLambda.IdentityKeysFromEnvironment(variable));
    }
}
