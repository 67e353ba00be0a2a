using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Holiday.Registrar.Tests;

/// <summary>The pure parts: property checks, the response document and the registration request.</summary>
public sealed class RegistrarUnitTests
{
    [Fact]
    public void Serialize_Success_UsesCloudFormationsFieldNamesAndOmitsNulls()
    {
        var response = new CustomResourceResponse
        {
            Status = CustomResourceResponse.Success,
            PhysicalResourceId = "arn:aws:lambda:us-east-1:123456789012:function:trips:3",
            StackId = "stack",
            RequestId = "request",
            LogicalResourceId = "Trips",
            Data = new Dictionary<string, string> { ["DeploymentId"] = "dp_1" },
        };

        var json = Encoding.UTF8.GetString(RegistrarFunction.Serialize(response));

        Assert.Equal(
            """{"Status":"SUCCESS","PhysicalResourceId":"arn:aws:lambda:us-east-1:123456789012:function:trips:3","StackId":"stack","RequestId":"request","LogicalResourceId":"Trips","Data":{"DeploymentId":"dp_1"}}""",
            json);
    }

    [Fact]
    public void Serialize_HugeReason_IsShortenedToCloudFormationsLimit()
    {
        var response = new CustomResourceResponse
        {
            Status = CustomResourceResponse.Failed,
            Reason = "Restate refused: " + string.Concat(Enumerable.Repeat("\"é<>\" ", 5000)),
            PhysicalResourceId = "arn:aws:lambda:us-east-1:123456789012:function:trips:3",
            StackId = new string('s', 300),
            RequestId = "request",
            LogicalResourceId = "Trips",
        };

        var body = RegistrarFunction.Serialize(response);

        Assert.InRange(body.Length, 1000, RegistrarFunction.MaxResponseBytes);
        var reason = (string?)JsonNode.Parse(body)!["Reason"];
        Assert.StartsWith("Restate refused: ", reason, StringComparison.Ordinal);
        Assert.EndsWith(" …", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_GivesAnErrorAndNoResponseUrl()
    {
        var (parsed, error) = RegistrarFunction.Parse("this is not json"u8);

        Assert.NotNull(error);
        Assert.Null(parsed.ResponseUrl);
    }

    [Theory]
    [InlineData("https://restate.example.com:9070", "https://restate.example.com:9070/health")]
    [InlineData("https://restate.example.com:9070/", "https://restate.example.com:9070/health")]
    [InlineData("https://example.com/env/admin", "https://example.com/env/admin/health")]
    public void TryParse_AdminUrl_ExtendsItsPathForRelativeCalls(string adminUrl, string health)
    {
        var ok = RegistrationProperties.TryParse(Properties(adminUrl, "arn:aws:lambda:eu-west-1:123456789012:function:trips:live"),
            out var properties, out var error);

        Assert.True(ok, error);
        Assert.Equal(health, new Uri(properties!.AdminUrl, "health").ToString());
    }

    [Fact]
    public void TryParse_AllProperties_KeepsThemTrimmed()
    {
        var values = Properties("http://restate:9070", " arn:aws-cn:lambda:cn-north-1:123456789012:function:trips:12 ");
        values["AssumeRoleArn"] = JsonSerializer.SerializeToElement("arn:aws:iam::123456789012:role/restate-invoker");
        values["AuthTokenParameter"] = JsonSerializer.SerializeToElement("/aws/reference/secretsmanager/restate");

        var ok = RegistrationProperties.TryParse(values, out var properties, out var error);

        Assert.True(ok, error);
        Assert.Equal(new RegistrationProperties(new Uri("http://restate:9070/"), "arn:aws-cn:lambda:cn-north-1:123456789012:function:trips:12",
            "arn:aws:iam::123456789012:role/restate-invoker", "/aws/reference/secretsmanager/restate"), properties);
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:trips:1", true)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:trips:live", true)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:trips", false)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:trips:", false)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:layer:trips:1", false)]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:function:trips:1", false)]
    [InlineData("trips:1", false)]
    public void IsQualifiedFunctionArn_Arn_RecognizesVersionsAndAliases(string arn, bool expected) =>
        Assert.Equal(expected, RegistrationProperties.IsQualifiedFunctionArn(arn));

    [Fact]
    public void RegisterDeploymentRequest_WithoutRole_OmitsAssumeRoleArnAndSendsForceFalse()
    {
        var withoutRole = JsonSerializer.Serialize(new RegisterDeploymentRequest { Arn = "arn:x:1" }, RegistrarJsonContext.Default.RegisterDeploymentRequest);
        var withRole = JsonSerializer.Serialize(new RegisterDeploymentRequest { Arn = "arn:x:1", AssumeRoleArn = "arn:role" },
            RegistrarJsonContext.Default.RegisterDeploymentRequest);

        Assert.Equal("""{"arn":"arn:x:1","force":false}""", withoutRole);
        Assert.Equal("""{"arn":"arn:x:1","assume_role_arn":"arn:role","force":false}""", withRole);
    }

    private static Dictionary<string, JsonElement> Properties(string adminUrl, string deploymentArn) => new()
    {
        ["ServiceToken"] = JsonSerializer.SerializeToElement("arn:aws:lambda:us-east-1:123456789012:function:registrar"),
        ["AdminUrl"] = JsonSerializer.SerializeToElement(adminUrl),
        ["DeploymentArn"] = JsonSerializer.SerializeToElement(deploymentArn),
    };
}
