using Holiday.Registrar;
using Restate.Sdk.Lambda;

// The onEvent handler of CDK's custom-resource provider framework: registers a Holiday Lambda version with Restate.
// The framework answers CloudFormation; a thrown error becomes the FAILED reason it reports.
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")))
{
    Console.Error.WriteLine(
        "error: AWS_LAMBDA_RUNTIME_API is not set. This is the Holiday registrar's Lambda bootstrap (the onEvent handler " +
        "of a CDK custom-resource provider); it runs inside AWS Lambda (provided.al2023) or the local Lambda emulator.");
    return 2;
}

using var http = RegistrarFunction.CreateHttpClient();
using var tokens = new SsmAuthTokenSource();
var function = new RegistrarFunction(http, tokens, new RegistrarOptions());
return await LambdaRuntime.RunAsync(function.HandleAsync);
