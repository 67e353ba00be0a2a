using System.Net;
using System.Text.Json.Nodes;

namespace Restate.Sdk.IntegrationTests;

/// <summary>The options written into the discovery manifest are accepted by the real server and take effect.</summary>
public sealed class ManifestOptionsTests(BidiStreamFixture fixture) : IClassFixture<BidiStreamFixture>
{
    [Fact]
    public async Task ServiceOptions_AfterRegistration_AreWhatTheAdminApiReports()
    {
        var service = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/Configured"))!;

        Assert.Equal("A service with every option set", service["documentation"]!.GetValue<string>());
        Assert.Equal("holiday", service["metadata"]!["team"]!.GetValue<string>());
        Assert.Equal("30s", service["inactivity_timeout"]!.GetValue<string>());
        Assert.Equal("2m", service["abort_timeout"]!.GetValue<string>());
        Assert.Equal("2h", service["journal_retention"]!.GetValue<string>());
        Assert.Equal("3h", service["idempotency_retention"]!.GetValue<string>());
        Assert.True(service["enable_lazy_state"]!.GetValue<bool>());
        var retry = service["retry_policy"]!;
        Assert.Equal("100ms", retry["initial_interval"]!.GetValue<string>());
        Assert.Equal("5s", retry["max_interval"]!.GetValue<string>());
        Assert.Equal(7, retry["max_attempts"]!.GetValue<int>());
        Assert.Equal(1.5, retry["exponentiation_factor"]!.GetValue<double>());
        Assert.Equal("Kill", retry["on_max_attempts"]!.GetValue<string>());
    }

    [Fact]
    public async Task BuilderHandlerWithJsonSerdes_AfterRegistration_ReportsTheSchemasSystemTextJsonExports()
    {
        var counter = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/Counter"))!;
        var add = counter["handlers"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == "add")!;

        Assert.Equal("""{"type":"integer"}""", add["input_json_schema"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"type":"object","properties":{"oldValue":{"type":"integer"},"newValue":{"type":"integer"}},"required":["oldValue","newValue"]}
            """), add["output_json_schema"]), add["output_json_schema"]?.ToJsonString());
    }

    [Fact]
    public async Task RecursiveJsonPayload_AfterRegistration_IsPublishedWithItsSelfReferenceInTheOpenApi()
    {
        var trees = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/Trees"))!;
        var openApi = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/Trees/openapi"))!;

        var input = trees["handlers"]![0]!["input_json_schema"]!;
        Assert.Equal("#", input["properties"]!["children"]!["items"]!["$ref"]!.GetValue<string>());
        var request = openApi["components"]!["schemas"]!["countRequest"]!;
        Assert.Equal("#/components/schemas/countRequest", request["properties"]!["children"]!["items"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task IngressPrivateHandler_CalledThroughTheIngress_IsRefused()
    {
        var response = await fixture.PostAsync("/Configured/k/internal");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("the invoked service is not public", response.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task TerminalException_WithMetadata_ReachesTheCallerWithCodeMessageAndMetadata()
    {
        var response = await fixture.PostAsync("/Configured/k/fail", "\"taken\"");

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("taken", response.Json["message"]!.GetValue<string>());
        Assert.Equal("R42", response.Json["metadata"]!["reason-code"]!.GetValue<string>());
    }
}
