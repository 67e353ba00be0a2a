using System.Diagnostics;
using Restate.Sdk.Diagnostics;

namespace Restate.Sdk.Tests.Diagnostics;

public sealed class RestateTelemetryTests
{
    [Theory]
    [InlineData("trips", null, "reserve", "trips/reserve")]
    [InlineData("flights", "", "reserve", "flights/reserve")]
    [InlineData("flights", "trip-1", "reserve", "flights/trip-1/reserve")]
    public void Target_KeyedAndUnkeyed_NamedLikeRestateSpans(string service, string? key, string handler, string expected) =>
        Assert.Equal(expected, RestateTelemetry.Target(service, key, handler));

    [Fact]
    public void StartAttempt_NobodyListens_NoActivity()
    {
        // No ActivityListener in this assembly subscribes to Restate.Sdk: no span is created (and nothing allocated for one).
        Assert.False(RestateTelemetry.Source.HasListeners());
        Assert.Null(RestateTelemetry.StartAttempt("trips", "reserve", "inv_1", "trips/reserve",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null));
        Assert.Null(RestateTelemetry.StartRun("step", null, "inv_1"));
    }
}
