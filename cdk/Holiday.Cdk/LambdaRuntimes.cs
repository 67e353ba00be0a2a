namespace Holiday.Cdk;

/// <summary>
/// The Lambda runtimes this app may deploy, kept in one place: every function of every synthesized template must use
/// one of them (the CDK tests read each template, Mappings included). Lambda blocks creating functions on a runtime
/// some time after its deprecation date, so a runtime that a CDK release picked by default can stop deploying while the
/// code stays the same; that is why the provider framework's function is pinned to <see cref="NodeJs"/>.
/// </summary>
public static class LambdaRuntimes
{
    /// <summary>When <see cref="Supported"/> was last checked against Lambda's runtime deprecation schedule.</summary>
    public static DateOnly CheckedOn { get; } = new(2026, 12, 6);

    /// <summary>The Native AOT <c>bootstrap</c> of the Holiday functions and the registrar (Amazon Linux 2023, glibc 2.34).</summary>
    public const string NativeAot = "provided.al2023";

    /// <summary>
    /// The Node.js runtime of CDK's custom-resource provider framework function, in every partition. Amazon.CDK.Lib
    /// 2.160 would pick <c>nodejs20.x</c> (<c>nodejs18.x</c> in China), which Lambda no longer lets anyone create.
    /// </summary>
    public const string NodeJs = "nodejs24.x";

    /// <summary>
    /// The runtimes deployable on <see cref="CheckedOn"/> that this app uses, with the deprecation date Lambda
    /// announces for each (null: none announced; provided.al2023 follows Amazon Linux 2023's end of support, 2029).
    /// </summary>
    public static IReadOnlyDictionary<string, DateOnly?> Supported { get; } = new Dictionary<string, DateOnly?>
    {
        [NativeAot] = null,
        ["nodejs22.x"] = new DateOnly(2027, 4, 30),
        [NodeJs] = new DateOnly(2028, 4, 30),
    };
}
