using System.Text.Json;

namespace Holiday.Registrar.Tests;

/// <summary>The pure parts: property checks and the registration request.</summary>
public sealed class RegistrarUnitTests
{
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
        Assert.Equal(new Uri("http://restate:9070/"), properties!.AdminUrl);
        Assert.Equal("arn:aws-cn:lambda:cn-north-1:123456789012:function:trips:12", properties.DeploymentArn);
        Assert.Equal("arn:aws:iam::123456789012:role/restate-invoker", properties.AssumeRoleArn);
        Assert.Equal("/aws/reference/secretsmanager/restate", properties.AuthTokenParameter);
        Assert.Empty(properties.ExpectedServices);
    }

    [Theory]
    [InlineData("trips", new[] { "trips" })]
    [InlineData(" trips , trip_saga ,", new[] { "trips", "trip_saga" })]
    [InlineData("  ", new string[0])]
    public void TryParse_ExpectedServices_IsACommaSeparatedList(string value, string[] expected)
    {
        var values = Properties("http://restate:9070", "arn:aws:lambda:us-east-1:123456789012:function:trips:1");
        values["ExpectedServices"] = JsonSerializer.SerializeToElement(value);

        var ok = RegistrationProperties.TryParse(values, out var properties, out var error);

        Assert.True(ok, error);
        Assert.Equal(expected, properties!.ExpectedServices);
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
