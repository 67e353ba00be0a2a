using System.Net;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Packaging.Tests;

/// <summary>
/// The example apps publish with Native AOT with zero warnings, as their READMEs say, and what is published serves
/// the README's first calls through the real restate-server.
/// </summary>
public sealed class ExampleAppsAotTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("examples/tour-of-restate/TourOfRestate", "/CartObject/Mary/addTicket", "\"seat2B\"", "true")]
    [InlineData("examples/patterns/Patterns", "/ReservationService/reserve", """{"productId":"tv","userId":"mary"}""", "true")]
    [InlineData("examples/order-consistency/OrderConsistency", "/order/o1/create", null,
        """{"orderId":"o1","status":"Open","lines":[],"failureReason":null}""")]
    public async Task ExampleApp_PublishedNativeAot_HasNoWarningsAndServesItsFirstCall(string project, string path, string? body, string expected)
    {
        var root = PackageFeed.RepositoryRoot();
        var artifacts = Directory.CreateTempSubdirectory("restate-example-aot-").FullName;
        try
        {
            // Its own artifacts folder: the other test assemblies build and publish this repository's projects meanwhile.
            var publish = (await DotnetCli.RunAsync(root, null, "publish", project, "-c", "Release", "-r", "linux-x64",
                "--artifacts-path", artifacts, "-o", Path.Combine(artifacts, "out"))).Succeeded($"dotnet publish {project} (Native AOT)");
            Assert.DoesNotContain("warning", publish.Output, StringComparison.OrdinalIgnoreCase);
            var executable = Path.Combine(artifacts, "out", Path.GetFileName(project));

            await using var server = await RestateServer.StartAsync(new RestateServerOptions { Log = output.WriteLine });
            await using var service = await PublishedService.StartAsync(executable, this, output.WriteLine);
            await server.RegisterDeploymentAsync(service.Uri);
            // Bounded: a handler failure is retried by the server, and the call would wait for it.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var answer = await server.Ingress.PostJsonAsync(path, body, ct: timeout.Token);

            Assert.Equal((HttpStatusCode.OK, expected), (answer.Status, answer.Body));
        }
        finally
        {
            PackageFeed.TryDelete(artifacts);
        }
    }
}
