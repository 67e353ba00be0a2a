using System.Text;
using Microsoft.Extensions.Logging;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda.Tests;

/// <summary>What the Lambda host adds without configuration: the health check and console logging.</summary>
public sealed class LambdaHostingTests
{
    private const string IdentityKey = "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp";

    [Theory]
    [InlineData("/health")]
    [InlineData("/restate/health")]
    public async Task HandleAsync_HealthOnSignedEndpoint_Answers200WithoutSignature(string path)
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(TestEndpoints.Echo().Services[0]).WithIdentityKeys(IdentityKey).Build();
        var handler = new RestateLambdaHandler(endpoint);

        var response = await handler.HandleAsync(new ApiGatewayProxyRequest { HttpMethod = "GET", Path = path });

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("OK", Encoding.UTF8.GetString(TestEndpoints.Body(response)));
    }

    [Fact]
    public async Task HandleAsync_DiscoverOnSignedEndpointWithoutSignature_StillAnswers401()
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(TestEndpoints.Echo().Services[0]).WithIdentityKeys(IdentityKey).Build();
        var handler = new RestateLambdaHandler(endpoint);

        var response = await handler.HandleAsync(TestEndpoints.Discover("application/vnd.restate.endpointmanifest.v4+json"));

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public void ConsoleLogger_EntryWithScopeAndException_WritesOneLineWithCarriageReturns()
    {
        using var output = new StringWriter();
        using var factory = new LambdaConsoleLoggerFactory(output, LogLevel.Information);
        var logger = factory.CreateLogger("Restate.Handler.Greeter");

        using (logger.BeginScope("inv_1 Greeter/greet"))
        {
            logger.LogWarning(new InvalidOperationException("line one\nline two"), "attempt {Attempt} failed", 2);
        }

        var text = output.ToString();
        Assert.Equal(Environment.NewLine, text[^Environment.NewLine.Length..]);
        var line = text[..^Environment.NewLine.Length];
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("warn: Restate.Handler.Greeter => inv_1 Greeter/greet: attempt 2 failed System.InvalidOperationException: line one\rline two",
            line, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleLogger_BelowMinimumLevel_WritesNothing()
    {
        using var output = new StringWriter();
        using var factory = new LambdaConsoleLoggerFactory(output, LogLevel.Warning);
        var logger = factory.CreateLogger("Restate.Handler.Greeter");

        logger.LogInformation("quiet");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.Empty(output.ToString());
    }

    [Theory]
    [InlineData(null, LogLevel.Information)]
    [InlineData("", LogLevel.Information)]
    [InlineData("TRACE", LogLevel.Trace)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("WARN", LogLevel.Warning)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData("FATAL", LogLevel.Critical)]
    [InlineData("loud", LogLevel.Information)]
    public void ParseLevel_LambdaLogLevelNames_MapToLogLevels(string? value, LogLevel expected) =>
        Assert.Equal(expected, LambdaConsoleLoggerFactory.ParseLevel(value));

    [Fact]
    public void AddProvider_OnTheDefaultFactory_ThrowsNamingWithLoggerFactory()
    {
        using var factory = new LambdaConsoleLoggerFactory(TextWriter.Null, LogLevel.Information);

        var error = Assert.Throws<NotSupportedException>(() => factory.AddProvider(null!));

        Assert.Contains("WithLoggerFactory", error.Message, StringComparison.Ordinal);
    }
}
