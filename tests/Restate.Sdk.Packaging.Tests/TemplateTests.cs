using System.Net;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;

namespace Restate.Sdk.Packaging.Tests;

/// <summary>
/// A new user's path, from the packages only: install the templates, create a project outside this repository,
/// restore it from the local feed, build it with zero warnings (the generator runs, the analyzers fire), run its tests
/// against the real restate-server, publish it with Native AOT with zero warnings, and run what was published.
/// </summary>
public sealed class TemplateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ServiceTemplate_FromThePackages_BuildsTestsPublishesNativeAotAndServes()
    {
        var feed = await PackageFeed.GetAsync();
        var folder = await feed.NewProjectAsync("restate-service", "Acme.Orders");
        try
        {
            var build = (await DotnetCli.RunAsync(folder, null, "build", "Acme.Orders.Tests")).Succeeded("dotnet build");
            Assert.Contains(" 0 Warning(s)", build.Output, StringComparison.Ordinal);

            // The test kit finds restate-server through the template's package.json and installs it (npm ci) itself.
            var test = (await DotnetCli.RunAsync(folder, null, "test", "Acme.Orders.Tests", "--no-build")).Succeeded("dotnet test");
            Assert.Matches(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+3,", test.Output);

            var publish = (await DotnetCli.RunAsync(folder, null, "publish", "Acme.Orders", "-c", "Release", "-r", "linux-x64"))
                .Succeeded("dotnet publish (Native AOT)");
            Assert.DoesNotContain("warning", publish.Output, StringComparison.OrdinalIgnoreCase);
            var executable = Path.Combine(folder, "Acme.Orders", "bin", "Release", "net10.0", "linux-x64", "publish", "Acme.Orders");

            // What the template's README does by hand: run the service, register it, call the ingress.
            await using (var server = await RestateServer.StartAsync(new RestateServerOptions { Log = output.WriteLine }))
            await using (var service = await PublishedService.StartAsync(executable, this, output.WriteLine))
            {
                await server.RegisterDeploymentAsync(service.Uri);
                // Bounded: a handler failure is retried by the server, and the call would wait for it.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var greeting = await server.Ingress.PostJsonAsync("/Greeter/greet", """{"name":"Ada"}""", ct: timeout.Token);
                Assert.Equal((HttpStatusCode.OK, """{"message":"Hello, Ada!","visits":1}"""), (greeting.Status, greeting.Body));
            }

            // The replay analyzers come with the package: Guid.NewGuid() in a handler is flagged at build time.
            var counter = Path.Combine(folder, "Acme.Orders", "Counter.cs");
            var source = await File.ReadAllTextAsync(counter);
            await File.WriteAllTextAsync(counter, source.Replace("ctx.Set(Count, total);",
                "ctx.Set(Count, total + (Guid.NewGuid() == Guid.Empty ? 1 : 0));", StringComparison.Ordinal));
            var flagged = await DotnetCli.RunAsync(folder, null, "build", "Acme.Orders", "-p:TreatWarningsAsErrors=false");
            Assert.Matches(@"Counter\.cs\(\d+,\d+\): warning RESTATE101: .*Guid\.NewGuid", flagged.Output);
        }
        finally
        {
            PackageFeed.TryDelete(folder);
        }
    }

    [Fact]
    public async Task LambdaTemplate_FromThePackages_TestsPublishesABootstrapThatServesThroughTheLambdaPath()
    {
        var feed = await PackageFeed.GetAsync();
        var folder = await feed.NewProjectAsync("restate-lambda", "Acme.Payments");
        try
        {
            var build = (await DotnetCli.RunAsync(folder, null, "build", "Acme.Payments.Tests")).Succeeded("dotnet build");
            Assert.Contains(" 0 Warning(s)", build.Output, StringComparison.Ordinal);
            var test = (await DotnetCli.RunAsync(folder, null, "test", "Acme.Payments.Tests", "--no-build")).Succeeded("dotnet test");
            Assert.Matches(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+1,", test.Output);

            // The README's publish line.
            var publish = (await DotnetCli.RunAsync(folder, null, "publish", "Acme.Payments", "-c", "Release", "-r", "linux-x64", "-o", "out"))
                .Succeeded("dotnet publish (Native AOT)");
            Assert.DoesNotContain("warning", publish.Output, StringComparison.OrdinalIgnoreCase);
            var bootstrap = Path.Combine(folder, "out", "bootstrap");
            Assert.True(File.Exists(Path.Combine(folder, "out", "libsodium.so")), "the publish folder lacks libsodium.so, which the README zips");

            // The bootstrap behind restate-server's Lambda client, as on AWS: Invoke API → custom runtime → Counter.
            await using var lambda = await LambdaEmulator.StartAsync(new LambdaEmulatorOptions { Log = output.WriteLine });
            var function = lambda.AddFunction(new LambdaFunctionDefinition { Name = "acme-payments", ExecutablePath = bootstrap });
            await using var server = await RestateServer.StartAsync(new RestateServerOptions
            {
                Log = output.WriteLine,
                Environment = lambda.ClientEnvironment,
            });
            await server.RegisterLambdaAsync(function.Definition.QualifiedArn);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var first = await server.Ingress.PostJsonAsync("/Counter/a/add", "2", ct: timeout.Token);
            var second = await server.Ingress.PostJsonAsync("/Counter/a/add", "3", ct: timeout.Token);

            Assert.Equal((HttpStatusCode.OK, "2"), (first.Status, first.Body));
            Assert.Equal((HttpStatusCode.OK, "5"), (second.Status, second.Body));
            Assert.NotEmpty(lambda.Invocations);
        }
        finally
        {
            PackageFeed.TryDelete(folder);
        }
    }
}
