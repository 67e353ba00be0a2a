// A Lambda function for the emulator tests: the Runtime API loop written by hand with HttpClient.
// Every event is echoed back, except:
//   {"mode":"error"}             -> posts an invocation error (errorType EchoError)
//   {"mode":"sleep","ms":N}      -> waits N ms, then echoes
//   {"mode":"exit","code":N}     -> exits the process (code 3 by default) without answering
//   {"mode":"context"}           -> answers with the pid, the Runtime API headers and the environment
//   {"mode":"big","bytes":N}     -> answers with about N bytes
//   {"path":"/discover", ...}    -> answers restate-server's discovery with a minimal endpoint manifest
// Environment: FAIL_INIT=1 -> posts /runtime/init/error and exits with code 1.
using System.Collections;
using System.Text;
using System.Text.Json.Nodes;

const string Manifest =
    """{"protocolMode":"REQUEST_RESPONSE","minProtocolVersion":5,"maxProtocolVersion":6,"services":[{"name":"EchoGreeter","ty":"SERVICE","handlers":[{"name":"greet"}]}]}""";

var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(runtimeApi))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set");
    return 2;
}

var runtime = $"http://{runtimeApi}/2018-06-01/runtime";
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
Console.WriteLine($"echo function starting (pid {Environment.ProcessId}, {Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME")})");

if (Environment.GetEnvironmentVariable("FAIL_INIT") == "1")
{
    Console.Error.WriteLine("FAIL_INIT=1: reporting an init error");
    await PostAsync($"{runtime}/init/error", Error("EchoInitError", "FAIL_INIT=1: the echo function refuses to start"), "EchoInitError");
    return 1;
}

while (true)
{
    using var next = await http.GetAsync(new Uri($"{runtime}/invocation/next"));
    if (!next.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"GET /next answered {(int)next.StatusCode}; exiting");
        return 2;
    }

    var requestId = Header(next, "Lambda-Runtime-Aws-Request-Id");
    var body = await next.Content.ReadAsStringAsync();
    Console.WriteLine($"event {requestId}: {(body.Length > 200 ? body[..200] + "…" : body)}");
    var input = Parse(body);
    var mode = input?["mode"]?.GetValue<string>();

    if (input?["path"]?.GetValue<string>() == "/discover")
    {
        var proxyResponse = new JsonObject
        {
            ["statusCode"] = 200,
            ["headers"] = new JsonObject { ["content-type"] = "application/vnd.restate.endpointmanifest.v2+json" },
            ["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Manifest)),
            ["isBase64Encoded"] = true,
        };
        await PostAsync($"{runtime}/invocation/{requestId}/response", proxyResponse.ToJsonString());
        continue;
    }

    switch (mode)
    {
        case "error":
            await PostAsync($"{runtime}/invocation/{requestId}/error", Error("EchoError", "error requested by the event"), "EchoError");
            break;
        case "exit":
            var code = input?["code"]?.GetValue<int>() ?? 3;
            Console.Error.WriteLine($"exiting with code {code} as requested");
            return code;
        case "sleep":
            await Task.Delay(input?["ms"]?.GetValue<int>() ?? 0);
            await PostAsync($"{runtime}/invocation/{requestId}/response", body);
            break;
        case "context":
            var environment = new JsonObject();
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                environment[(string)entry.Key] = (string?)entry.Value;
            }

            var context = new JsonObject
            {
                ["pid"] = Environment.ProcessId,
                ["requestId"] = requestId,
                ["deadlineMs"] = Header(next, "Lambda-Runtime-Deadline-Ms"),
                ["functionArn"] = Header(next, "Lambda-Runtime-Invoked-Function-Arn"),
                ["traceId"] = Header(next, "Lambda-Runtime-Trace-Id"),
                ["workingDirectory"] = Environment.CurrentDirectory,
                ["env"] = environment,
            };
            await PostAsync($"{runtime}/invocation/{requestId}/response", context.ToJsonString());
            break;
        case "big":
            var data = new string('x', input?["bytes"]?.GetValue<int>() ?? 0);
            await PostAsync($"{runtime}/invocation/{requestId}/response", new JsonObject { ["data"] = data }.ToJsonString());
            break;
        default:
            await PostAsync($"{runtime}/invocation/{requestId}/response", body);
            break;
    }
}

async Task PostAsync(string url, string json, string? errorType = null)
{
    using var content = new StringContent(json, Encoding.UTF8, "application/json");
    if (errorType is not null)
    {
        content.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
    }

    using var response = await http.PostAsync(new Uri(url), content);
    if (!response.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"POST {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

static string Error(string type, string message) =>
    new JsonObject { ["errorMessage"] = message, ["errorType"] = type, ["stackTrace"] = new JsonArray() }.ToJsonString();

static string Header(HttpResponseMessage response, string name) =>
    response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

static JsonObject? Parse(string json)
{
    try
    {
        return JsonNode.Parse(json) as JsonObject;
    }
    catch (System.Text.Json.JsonException)
    {
        return null;
    }
}
