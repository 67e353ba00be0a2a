using System.Text.Json;
using System.Text.Json.Serialization;
using Restate.Sdk;

[assembly: RestateSerializer(typeof(RestateApp.AppJson))]

namespace RestateApp;

public sealed record GreetRequest(string Name);

public sealed record Greeting(string Message, long Visits);

/// <summary>
/// The JSON of the handlers' records, source-generated (Native AOT needs no reflection); web defaults, so callers send
/// and get camelCase (<c>{"name":"Ada"}</c>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GreetRequest))]
[JsonSerializable(typeof(Greeting))]
internal sealed partial class AppJson : JsonSerializerContext;

/// <summary>Greets people and counts their visits in <see cref="Counter"/>, through its generated client.</summary>
[Service("Greeter")]
public sealed partial class Greeter
{
    [Handler("greet")]
    public static async Task<Greeting> GreetAsync(Context ctx, GreetRequest request)
    {
        var visits = await ctx.ObjectClient<CounterClient>(request.Name).AddAsync(1);
        // Side effects (an e-mail, a payment) go in RunAsync: journaled, not repeated on retries or replays.
        var message = await ctx.RunAsync("compose", _ => Task.FromResult($"Hello, {request.Name}!"));
        return new Greeting(message, visits);
    }
}
