using System.CommandLine;
using System.CommandLine.Parsing;
using Restate.Sdk.Testing;

namespace Holiday.Bench;

/// <summary>
/// The <c>Main</c> both trip tools share (linked into each): find the repository, parse the command line, turn it into
/// the tool's options, run with Ctrl+C as cancellation, and map the outcome to an exit code.
/// </summary>
internal static class BenchMain
{
    /// <summary>The run finished and wrote its results.</summary>
    public const int Success = 0;

    /// <summary>The run failed: a trip was not booked, a process did not start, or something timed out.</summary>
    public const int Failure = 1;

    /// <summary>Not run: not inside the repository, or a bad command line (each error names its option).</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C; every process started has been stopped.</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// Runs a tool. <paramref name="readOptions"/> gets a parse without errors and the repository root, and throws
    /// <see cref="ArgumentException"/> (message printed, exit code <see cref="Usage"/>) when the options do not fit
    /// together. <paramref name="runAsync"/> does the work; an <see cref="InvalidOperationException"/> or
    /// <see cref="TimeoutException"/> from it is printed as an error with exit code <see cref="Failure"/>, or counts as
    /// the cancellation after Ctrl+C (exit code <see cref="Cancelled"/>); anything else is a bug and propagates.
    /// </summary>
    public static async Task<int> RunAsync<TOptions>(IReadOnlyList<string> args, RootCommand command,
        Func<ParseResult, string, TOptions> readOptions, Func<TOptions, string, CancellationToken, Task> runAsync)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(readOptions);
        ArgumentNullException.ThrowIfNull(runAsync);
        var root = NpmTools.FindRepositoryRoot("@restatedev/restate-server");
        if (root is null)
        {
            await Console.Error.WriteLineAsync("Run this from inside the repository (the folder with package.json).");
            return Usage;
        }

        if (BenchCommandLine.Parse(command, args, out var exitCode) is not { } parsed)
        {
            return exitCode;
        }

        TOptions options;
        try
        {
            options = readOptions(parsed, root);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return Usage;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            await runAsync(options, root, cancellation.Token);
            return Success;
        }
        catch (Exception e) when (cancellation.IsCancellationRequested
            && e is OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            // Ctrl+C reaches the whole process group, so the servers may stop (and fail a trip) before the tool notices.
            await Console.Error.WriteLineAsync("Cancelled; every process started has been stopped.");
            return Cancelled;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
