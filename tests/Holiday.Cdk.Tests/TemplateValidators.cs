using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Holiday.Cdk.Tests;

/// <summary>
/// One finding of a template validator, in the shape every script under <c>cdk/validation/</c> prints. <see cref="File"/>
/// is the template path the validator was given; <see cref="Template"/> is the stack name.
/// </summary>
public sealed record ValidatorFinding(string Validator, string Rule, string Template, string Resource, string Message, string File)
{
    public override string ToString() => $"{Validator} {Rule} {Template} {Resource}: {Message}";
}

/// <summary>
/// Runs the template validators of <c>cdk/validation/</c> (Node scripts over tools pinned in package.json): one Node
/// process per validator for any number of templates. A validator that crashes, times out or prints anything but a
/// list of findings throws; it never reads as "no findings".
/// </summary>
public static class TemplateValidators
{
    public const string CfnGuard = "cfn-guard";
    public const string CdkNag = "cdk-nag";
    public const string Schema = "schema";

    public static IReadOnlyList<string> All { get; } = [CfnGuard, CdkNag, Schema];

    /// <summary>Generous for a small shared machine: the slowest (cfn-guard over ten templates) takes seconds.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(2);

    public static string ValidationFolder { get; } = Path.Combine(TestAssets.RepositoryRoot, "cdk", "validation");

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Every validator over <paramref name="templates"/>, the three processes side by side.</summary>
    public static async Task<IReadOnlyList<ValidatorFinding>> RunAllAsync(IReadOnlyCollection<string> templates, TimeSpan? timeout = null)
    {
        var runs = await Task.WhenAll(All.Select(validator => RunAsync(validator, templates, timeout)));
        return [.. runs.SelectMany(findings => findings)];
    }

    public static async Task<IReadOnlyList<ValidatorFinding>> RunAsync(string validator, IReadOnlyCollection<string> templates, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(templates);
        if (!All.Contains(validator))
        {
            throw new ArgumentException($"Unknown validator {validator}; expected one of {string.Join(", ", All)}.", nameof(validator));
        }
        var script = Path.Combine(ValidationFolder, $"{validator}.mjs");
        var modules = Path.Combine(TestAssets.RepositoryRoot, "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "cdk-nag")))
        {
            throw new InvalidOperationException($"{modules} has no cdk-nag: run npm ci at the repository root.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestAssets.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var template in templates)
        {
            start.ArgumentList.Add(template);
        }

        var limit = timeout ?? DefaultTimeout;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var cancel = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"The {validator} validator did not finish within {limit} over {templates.Count} templates: {await stderr}");
            }
        }
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {validator} validator failed with exit code {process.ExitCode}:\n{errors}\n{Excerpt(output)}");
        }
        return Parse(validator, output, errors);
    }

    private static List<ValidatorFinding> Parse(string validator, string output, string errors)
    {
        List<ValidatorFinding>? findings;
        try
        {
            findings = JsonSerializer.Deserialize<List<ValidatorFinding>>(output, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The {validator} validator printed no list of findings ({e.Message}):\n{Excerpt(output)}\n{errors}", e);
        }
        if (findings is null)
        {
            throw new InvalidOperationException($"The {validator} validator printed null:\n{errors}");
        }
        foreach (var finding in findings)
        {
            if (finding.Validator != validator || finding.Rule.Length == 0 || finding.Template.Length == 0)
            {
                throw new InvalidOperationException($"The {validator} validator printed a malformed finding: {finding}");
            }
        }
        return findings;
    }

    private static string Excerpt(string text) => text.Length <= 4000 ? text : $"{text[..4000]}…";
}

/// <summary>
/// One reviewed acceptance of a finding: the validator and rule exactly, the resource's logical id by an anchored regex,
/// and optionally the stacks it applies to. The reason says why the finding is acceptable.
/// </summary>
public sealed record Acknowledgement(string Validator, string Rule, string Resource, string Reason, IReadOnlyList<string>? Templates = null)
{
    private Regex? _resource;

    private Regex ResourcePattern => _resource ??= new Regex($"^(?:{Resource})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public bool Matches(ValidatorFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Validator == Validator
            && finding.Rule == Rule
            && (Templates is null || Templates.Contains(finding.Template))
            && ResourcePattern.IsMatch(finding.Resource);
    }

    public override string ToString() =>
        $"{Validator} {Rule} resource ^(?:{Resource})${(Templates is null ? "" : $" in {string.Join(", ", Templates)}")}";

    /// <summary>Throws when the entry cannot be applied as written: an unknown validator, no reason, a bad regex.</summary>
    public void Check()
    {
        if (!TemplateValidators.All.Contains(Validator))
        {
            throw new InvalidDataException($"{this}: unknown validator; expected one of {string.Join(", ", TemplateValidators.All)}");
        }
        if (string.IsNullOrWhiteSpace(Rule) || string.IsNullOrWhiteSpace(Resource))
        {
            throw new InvalidDataException($"{this}: rule and resource are required");
        }
        if (string.IsNullOrWhiteSpace(Reason))
        {
            throw new InvalidDataException($"{this}: the reason is required: say why this finding is acceptable");
        }
        if (Templates is { Count: 0 })
        {
            throw new InvalidDataException($"{this}: an empty template list matches nothing; leave templates out to match every stack");
        }
        try
        {
            _ = ResourcePattern;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{this}: the resource is not a valid regex: {e.Message}", e);
        }
    }
}

/// <summary>The reviewed list in <c>cdk/validation/acknowledged.json</c>.</summary>
public sealed class Acknowledgements
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public Acknowledgements(IReadOnlyList<Acknowledgement> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            entry.Check();
        }
        Entries = entries;
    }

    public static string DefaultPath { get; } = Path.Combine(TemplateValidators.ValidationFolder, "acknowledged.json");

    public IReadOnlyList<Acknowledgement> Entries { get; }

    public static Acknowledgements Load(string? path = null)
    {
        path ??= DefaultPath;
        var file = JsonSerializer.Deserialize<AcknowledgementFile>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} holds null");
        return new Acknowledgements(file.Acknowledgements);
    }

    /// <summary>The findings no entry accepts.</summary>
    public IReadOnlyList<ValidatorFinding> Unacknowledged(IEnumerable<ValidatorFinding> findings) =>
        [.. findings.Where(f => !Entries.Any(e => e.Matches(f)))];

    /// <summary>The entries that accept none of <paramref name="findings"/>.</summary>
    public IReadOnlyList<Acknowledgement> Stale(IReadOnlyCollection<ValidatorFinding> findings) =>
        [.. Entries.Where(e => !findings.Any(e.Matches))];

    private sealed record AcknowledgementFile(string Description, IReadOnlyList<Acknowledgement> Acknowledgements);
}
