using Amazon.CDK;
using Holiday.Cdk;

// Run by the CDK CLI through cdk.json ("dotnet run --project cdk/Holiday.Cdk") from the repository root.
try
{
    var app = new App();
    HolidayApp.Build(app);
    app.Synth();
    return 0;
}
catch (DeploymentContextException e)
{
    // One sentence naming the context key or the failed publish; a stack trace would only bury it.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
