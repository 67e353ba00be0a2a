using System.Diagnostics;

namespace Patterns.Tests;

/// <summary>Waits for what a one-way invocation does: polls a condition instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"not within 15 s: {what}");
            await Task.Delay(50);
        }
    }
}
