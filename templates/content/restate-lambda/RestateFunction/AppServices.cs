using Microsoft.Extensions.DependencyInjection;

namespace RestateFunction;

/// <summary>What this function serves and what its handlers depend on, shared by <c>Program.cs</c> and the tests.</summary>
public static class AppServices
{
    // Each invocation attempt gets its service instances (and their scoped dependencies) from a scope of its own.
    // RESTATE_IDENTITY_KEYS (comma-separated publickeyv1_…) makes the function accept only requests signed by your
    // Restate server; unset, it accepts any request that reaches it.
    public static IServiceCollection AddApp(this IServiceCollection services) =>
        services.AddRestate(restate => restate.AddService<Counter>()).Services;
}
