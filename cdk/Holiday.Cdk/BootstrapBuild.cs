namespace Holiday.Cdk;

/// <summary>Where synth publishes the Native AOT <c>bootstrap</c> executables (context key <c>bootstrapBuild</c>).</summary>
public enum BootstrapBuild
{
    /// <summary><c>dotnet publish -r linux-x64</c> on this machine, which must be Linux x64 (the default).</summary>
    Local,

    /// <summary>In an Amazon Linux 2023 build container (<c>cdk/build-image</c>), from any machine with Docker.</summary>
    Container,
}
