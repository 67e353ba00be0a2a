using System.Diagnostics;

namespace Holiday.Lambda.Benchmarks;

/// <summary>
/// One way of running the same Holiday Lambda code: the Native AOT <c>bootstrap</c> or the framework-dependent
/// <c>dotnet bootstrap.dll</c>, registered with the emulator as its own function.
/// </summary>
internal sealed class Variant
{
    private readonly Func<ProcessStartInfo> _startInfo;
    private long _lastSpawnTicks;

    public Variant(string key, string label, string folder, string binaryPath, Func<ProcessStartInfo> startInfo)
    {
        Key = key;
        Label = label;
        FunctionName = $"holiday-{key}";
        Folder = folder;
        BinaryPath = binaryPath;
        _startInfo = startInfo;
    }

    /// <summary><c>aot</c> or <c>jit</c>.</summary>
    public string Key { get; }

    /// <summary>The column heading.</summary>
    public string Label { get; }

    /// <summary>The emulator's function name.</summary>
    public string FunctionName { get; }

    /// <summary>The private copy of the build output the processes run from.</summary>
    public string Folder { get; }

    /// <summary>The file that is the program: <c>bootstrap</c> (AOT) or <c>bootstrap.dll</c> (JIT).</summary>
    public string BinaryPath { get; }

    /// <summary>
    /// When the emulator last asked for a start info, i.e. just before it started a process: its Runtime API listener
    /// is already up, so from here to the first response is the process's own start-up and first invocation.
    /// </summary>
    public DateTimeOffset LastSpawn => new(Volatile.Read(ref _lastSpawnTicks), TimeSpan.Zero);

    /// <summary>The <c>StartInfoFactory</c> for the emulator; it stamps <see cref="LastSpawn"/>.</summary>
    public ProcessStartInfo CreateStartInfo()
    {
        var startInfo = _startInfo();
        Volatile.Write(ref _lastSpawnTicks, DateTimeOffset.UtcNow.UtcTicks);
        return startInfo;
    }

    /// <summary>Bytes of <see cref="BinaryPath"/>.</summary>
    public long BinaryBytes => new FileInfo(BinaryPath).Length;

    /// <summary>Bytes of every file under <see cref="Folder"/>.</summary>
    public long FolderBytes => Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>Files under <see cref="Folder"/>.</summary>
    public int FolderFiles => Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Count();
}
