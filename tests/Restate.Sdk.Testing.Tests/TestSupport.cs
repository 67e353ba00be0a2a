using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Restate.Sdk.Testing.Tests;

internal static class TestSupport
{
    public static RestateServerOptions Options(ITestOutputHelper output, IReadOnlyDictionary<string, string>? environment = null) =>
        new()
        {
            Log = output.WriteLine,
            Environment = environment ?? new Dictionary<string, string>(),
        };

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    public static async Task<JsonObject> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return Assert.IsType<JsonObject>(JsonNode.Parse(text));
    }

    public static int PidFromMessage(string message)
    {
        var match = Regex.Match(message, @"\(pid (\d+)\)");
        Assert.True(match.Success, message);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The data directory as the server logs it at start-up ("base_dir: /tmp/restate-testing-xyz/n1/").</summary>
    public static string DataDirectoryFromLog(IEnumerable<string> lines)
    {
        var baseDir = lines.Select(line => Regex.Match(line, @"base_dir: (\S+)/n1/?$")).First(match => match.Success);
        return baseDir.Groups[1].Value;
    }

    /// <summary>The binary the repository's npm install provides, found by walking up from the test output folder.</summary>
    public static string FindInstalledBinary()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "@restatedev", "restate-server-linux-x64", "bin", "restate-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("restate-server is not installed under any parent folder (run npm ci)");
    }
}
