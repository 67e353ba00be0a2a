using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda.Tests;

public sealed class ConfigurationTests
{
    private const string Key = "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp";

    [Theory]
    [InlineData(null, new string[0])]
    [InlineData("", new string[0])]
    [InlineData(" , ", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData(" a , b ,,c ", new[] { "a", "b", "c" })]
    public void ParseKeys_SplitsOnCommasAndTrims(string? value, string[] expected) =>
        Assert.Equal(expected, RestateLambda.ParseKeys(value));

    [Fact]
    public void IdentityKeysFromEnvironment_ReadsTheNamedVariable()
    {
        var variable = $"RESTATE_LAMBDA_TEST_KEYS_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, $"{Key}, {Key}");
        try
        {
            Assert.Equal([Key, Key], RestateLambda.IdentityKeysFromEnvironment(variable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task WithIdentityKeysFromEnvironment_EnablesTheCheck()
    {
        var variable = $"RESTATE_LAMBDA_TEST_KEYS_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, Key);
        try
        {
            var endpoint = RestateEndpoint.CreateBuilder()
                .Bind(ServiceDefinition.ForService("Echo").Handler("echo", (Context ctx, string s) => Task.FromResult(s), Serde.String, Serde.String).Build())
                .WithIdentityKeysFromEnvironment(variable)
                .Build();

            var response = await new RestateLambdaHandler(endpoint).HandleAsync(TestEndpoints.Discover("application/vnd.restate.endpointmanifest.v4+json"));

            Assert.Equal(401, response.StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void WithIdentityKeysFromEnvironment_Unset_ChecksNothing()
    {
        var endpoint = RestateEndpoint.CreateBuilder()
            .Bind(ServiceDefinition.ForService("Echo").Handler("echo", (Context ctx, string s) => Task.FromResult(s), Serde.String, Serde.String).Build())
            .WithIdentityKeysFromEnvironment($"RESTATE_LAMBDA_TEST_UNSET_{Guid.NewGuid():N}")
            .Build();

        Assert.False(endpoint.Identity.IsEnabled);
    }
}
