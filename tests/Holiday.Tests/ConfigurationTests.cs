using System.Net;
using Holiday.Host;
using Holiday.Hosting;
using Microsoft.Extensions.Logging;

namespace Holiday.Tests;

/// <summary>The environment-driven settings of the host and the services: defaults, overrides, clear errors.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void HostSettings_NothingSet_ListensOnLoopback9080WithoutKeys()
    {
        var settings = HostSettings.FromEnvironment(_ => null);

        Assert.Equal(IPAddress.Loopback, settings.BindAddress);
        Assert.Equal(9080, settings.Http2Port);
        Assert.Null(settings.Http1Port);
        Assert.Empty(settings.IdentityKeys);
        Assert.Null(settings.OtlpEndpoint);
    }

    [Fact]
    public void HostSettings_AllSet_AreRead()
    {
        var variables = new Dictionary<string, string>
        {
            ["BIND_ADDRESS"] = "0.0.0.0",
            ["PORT"] = "7000",
            ["HTTP1_PORT"] = "7001",
            ["RESTATE_IDENTITY_KEYS"] = "publickeyv1_a, publickeyv1_b",
        };

        var settings = HostSettings.FromEnvironment(variables.GetValueOrDefault);

        Assert.Equal(IPAddress.Any, settings.BindAddress);
        Assert.Equal(7000, settings.Http2Port);
        Assert.Equal(7001, settings.Http1Port);
        Assert.Equal(["publickeyv1_a", "publickeyv1_b"], settings.IdentityKeys);
    }

    [Theory]
    [InlineData("PORT", "http", "PORT must be a port number from 1 to 65535, not 'http'.")]
    [InlineData("HTTP1_PORT", "0", "HTTP1_PORT must be a port number from 1 to 65535, not '0'.")]
    [InlineData("BIND_ADDRESS", "localhost:80", "BIND_ADDRESS must be an IP address, not 'localhost:80'.")]
    public void HostSettings_BadValue_NamesTheVariable(string name, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => HostSettings.FromEnvironment(v => v == name ? value : null));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void TableNames_FromEnvironment_UsesGivenNamesAndDefaultsForBlankOnes()
    {
        var variables = new Dictionary<string, string> { ["FLIGHTS_TABLE_NAME"] = " prod-flights ", ["CARS_TABLE_NAME"] = "  " };

        var names = TableNames.FromEnvironment(variables.GetValueOrDefault);

        Assert.Equal(new TableNames("prod-flights", "Cars", "Payments", "Trips"), names);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TracerProvider_NoEndpoint_IsNotCreated(string? endpoint)
    {
        // CDK turns tracing off with an empty OTEL_EXPORTER_OTLP_ENDPOINT.
        Assert.Null(HolidayTelemetry.CreateTracerProvider("holiday-host", getVariable: name => name == HolidayTelemetry.EndpointVariable ? endpoint : null));
    }

    [Fact]
    public void TracerProvider_EndpointVariableSet_IsCreated()
    {
        using var provider = HolidayTelemetry.CreateTracerProvider("holiday-host",
            getVariable: name => name == HolidayTelemetry.EndpointVariable ? "http://127.0.0.1:4317" : null);

        Assert.NotNull(provider);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317",
        "OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http:// or https:// URL such as http://127.0.0.1:4317, not 'collector:4317'.")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL must be 'grpc' or 'http/protobuf', not 'http/json'.")]
    public void TracerProvider_MalformedVariable_FailsNamingIt(string variable, string value, string message)
    {
        var variables = new Dictionary<string, string> { [HolidayTelemetry.EndpointVariable] = "http://127.0.0.1:4317", [variable] = value };

        var error = Assert.Throws<InvalidOperationException>(() => HolidayTelemetry.CreateTracerProvider("holiday-host", getVariable: variables.GetValueOrDefault));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(ConsoleLogFormat.Json, "\"restate.invocation.id\":\"inv_1\"")]
    [InlineData(ConsoleLogFormat.Readable, "=> inv_1")]
    public void ConsoleLogging_WithScope_WritesTheScopeOnTheLine(ConsoleLogFormat format, string expected)
    {
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            using (var factory = LoggerFactory.Create(logging => logging.AddHolidayConsole(format)))
            {
                var logger = factory.CreateLogger("Restate.Handler.trips");
                // Like ctx.Logger's scope: key/value pairs for JSON, and a text for the readable line.
                using (logger.BeginScope(new InvocationScope()))
                {
                    logger.LogWarning("booked");
                }
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        var line = Assert.Single(captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("booked", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private sealed class InvocationScope() : List<KeyValuePair<string, object?>>([new("restate.invocation.id", "inv_1")])
    {
        public override string ToString() => "inv_1";
    }
}
