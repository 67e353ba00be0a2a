namespace Holiday.LambdaCost.Tests;

/// <summary>The tool's reading of recorded <c>REPORT</c> lines, in the form the emulator writes them.</summary>
public sealed class ReportLogTests
{
    [Fact]
    public async Task OnLine_ColdAndWarmReports_ReadDurationAndInitDuration()
    {
        var reports = new ReportLog();

        reports.OnLine("[holiday-flights] START RequestId: a1 Version: 1");
        reports.OnLine("[holiday-flights] REPORT RequestId: a1\tDuration: 9.42 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tInit Duration: 18.80 ms\tStatus: Succeeded");
        reports.OnLine("REPORT RequestId: b2\tDuration: 0.48 ms\tBilled Duration: 1 ms\tMemory Size: 512 MB\tStatus: Succeeded");

        var cold = await reports.GetAsync("a1", CancellationToken.None);
        var warm = await reports.GetAsync("b2", CancellationToken.None);
        Assert.Equal(new Report(9.42, 18.80), cold);
        Assert.Equal(10, cold.BilledMs);
        Assert.Equal(new Report(0.48, null), warm);
        Assert.Equal(1, warm.BilledMs);
    }

    [Fact]
    public async Task GetAsync_NoReportForTheRequest_FailsNamingIt()
    {
        var reports = new ReportLog();
        reports.OnLine("REPORT RequestId: other\tDuration: 1.00 ms");
        reports.OnLine("a function's own line mentioning Duration: 3 ms");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => reports.GetAsync("missing", CancellationToken.None));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }
}
