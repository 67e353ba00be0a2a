using System.Diagnostics;

namespace Holiday.Cdk.Tests;

public sealed class GlibcRequirementTests
{
    private static readonly string[] Readelfs = ["/usr/bin/readelf", "/bin/readelf"];
    private static readonly string[] SystemExecutables = ["/usr/bin/env", "/bin/ls"];

    [Fact]
    public void Newest_IgnoresGlibcPrivateAndOtherLibrariesVersions()
    {
        Assert.Equal(new Version(2, 34), GlibcRequirement.Newest(["GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_2.3.4", "GLIBC_PRIVATE", "GCC_3.0", "OPENSSL_3.0.0"]));
        Assert.Null(GlibcRequirement.Newest(["GCC_3.0"]));
    }

    [Fact]
    public void Read_FileThatIsNoElf_SaysSo()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "#!/bin/sh\necho not a binary\n");

            var error = Assert.Throws<InvalidDataException>(() => GlibcRequirement.Read(path));

            Assert.Equal($"{path} is not a 64-bit little-endian ELF file.", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void VersionNames_OfASystemExecutable_AreWhatReadelfLists()
    {
        // binutils' readelf is the reference; Native AOT on Linux links with binutils, so it is here wherever publishing is.
        var readelf = Readelfs.FirstOrDefault(File.Exists);
        Skip.If(readelf is null, "readelf (binutils) is not installed.");
        var executable = SystemExecutables.First(File.Exists);

        var ours = GlibcRequirement.VersionNames(File.ReadAllBytes(executable), executable);

        Assert.NotEmpty(ours);
        Assert.Equal(ReadelfVersionNames(readelf!, executable).Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
    }

    /// <summary>The <c>Name:</c> entries of readelf's "Version needs section" listing.</summary>
    private static List<string> ReadelfVersionNames(string readelf, string executable)
    {
        var start = new ProcessStartInfo(readelf, ["-V", "--wide", executable]) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var needs = output[output.IndexOf("Version needs section", StringComparison.Ordinal)..];
        return [.. System.Text.RegularExpressions.Regex.Matches(needs, @"Name: (\S+)\s+Flags").Select(m => m.Groups[1].Value)];
    }
}
