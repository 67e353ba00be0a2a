namespace RestateApp;

/// <summary>What this app serves and what its handlers depend on, shared by <c>Program.cs</c> and the tests.</summary>
public static class AppServices
{
    // Each invocation attempt gets its service instances (and their scoped dependencies) from a scope of its own.
    // Settings come from configuration: Restate:IdentityKeys (or RESTATE_IDENTITY_KEYS, comma-separated publickeyv1_…)
    // makes the endpoint accept only requests signed by your Restate server; see the README.
    public static IServiceCollection AddApp(this IServiceCollection services) =>
        services.AddRestate(restate => restate
            .AddService<Counter>()
            .AddService<Greeter>()).Services;
}
