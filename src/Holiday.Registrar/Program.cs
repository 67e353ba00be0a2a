using Holiday.Registrar;
using Restate.Sdk.Lambda;

// The CloudFormation custom resource that registers a Holiday Lambda version with Restate: one event per
// Create/Update/Delete, always answered with a PUT to the event's ResponseURL.
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")))
{
    Console.Error.WriteLine(
        "error: AWS_LAMBDA_RUNTIME_API is not set. This is the Holiday registrar's Lambda bootstrap (a CloudFormation " +
        "custom resource); it runs inside AWS Lambda (provided.al2023) or the local Lambda emulator.");
    return 2;
}

using var http = RegistrarFunction.CreateHttpClient();
using var tokens = new SsmAuthTokenSource();
var function = new RegistrarFunction(http, tokens, new RegistrarOptions());
return await LambdaRuntime.RunAsync(function.HandleAsync);
