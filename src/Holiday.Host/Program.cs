using Holiday.Host;
using Holiday.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

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

await using var app = HolidayHost.Build(settings, HolidayAws.CreateDependencies(), args);
await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
Console.WriteLine($"listening on {string.Join(", ", addresses)}");
await app.WaitForShutdownAsync();
return 0;
