using Holiday.Host;
using Holiday.LoadTest.Noop;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Configured like Holiday.Host (PORT, BIND_ADDRESS, …; see HostSettings) and built by the same HolidayHost.Build, so
// the only difference to the real Holiday is what happens inside each journaled step.
HostSettings settings;
try
{
    settings = HostSettings.FromEnvironment();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

await using var app = HolidayHost.Build(settings, NoopStores.Dependencies, args);
await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
Console.WriteLine($"listening on {string.Join(", ", addresses)}");
await app.WaitForShutdownAsync();
return 0;
