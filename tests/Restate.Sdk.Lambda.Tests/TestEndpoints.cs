using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda.Tests;

internal static class TestEndpoints
{
    /// <summary>Echo/echo returns its input; Echo/stuck runs a side effect that only ends when the attempt does.</summary>
    public static RestateEndpoint Echo() => RestateEndpoint.CreateBuilder()
        .Bind(ServiceDefinition.ForService("Echo")
            .Handler("echo", (Context ctx, string s) => Task.FromResult(s), Serde.String, Serde.String)
            .Handler("stuck", async (Context ctx, string s) => await ctx.RunAsync("wait", async ct =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return s;
            }, Serde.String), Serde.String, Serde.String)
            .Build())
        .Build();

    public static ApiGatewayProxyRequest Invoke(string handler, byte[] body, params (string Name, string Value)[] extraHeaders)
    {
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = TestFrames.InvocationContentType,
            ["accept"] = TestFrames.InvocationContentType,
            ["x-restate-invocation-id"] = "inv_1lambdatest",
        };
        foreach (var (name, value) in extraHeaders)
        {
            headers[name] = value;
        }
        return new ApiGatewayProxyRequest
        {
            Path = $"/invoke/Echo/{handler}",
            HttpMethod = "POST",
            Headers = headers,
            Body = Convert.ToBase64String(body),
            IsBase64Encoded = true,
        };
    }

    public static ApiGatewayProxyRequest Discover(string accept) => new()
    {
        Path = "/discover",
        HttpMethod = "GET",
        Headers = new Dictionary<string, string> { ["accept"] = accept, ["x-restate-cluster-name"] = "localcluster" },
        Body = "",
        IsBase64Encoded = true,
    };

    public static byte[] Body(ApiGatewayProxyResponse response)
    {
        Assert.True(response.IsBase64Encoded);
        return Convert.FromBase64String(response.Body ?? "");
    }

    public static string Header(ApiGatewayProxyResponse response, string name)
    {
        Assert.NotNull(response.Headers);
        Assert.True(response.Headers.TryGetValue(name, out var value), $"no {name} header");
        return value;
    }

    /// <summary>A string of <paramref name="length"/> pseudo-random letters (compressible only by the alphabet's entropy).</summary>
    public static string Letters(int length, int seed = 42)
    {
        var random = new Random(seed);
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
    }
}
