using Holiday.Hosting;
using Holiday.Local;
using Restate.Sdk.Testing;

namespace Holiday.LoadTest.Targets;

/// <summary>
/// Our Holiday: <c>dotnet Holiday.Host.dll</c> (the Release build next to this tool) as its own process, on the
/// session's DynamoDB Local with the tables <c>./dev run</c> creates (<see cref="HolidayTables"/>).
/// </summary>
internal sealed class HolidayTarget : LoadTarget
{
    public override string Name => TargetNames.Holiday;

    public override string ServiceProcessName => "Holiday.Host (dotnet)";

    public override bool UsesDynamoDb => true;

    protected override async Task<(ManagedProcess Process, Uri Endpoint)> StartServiceAsync(DynamoDbLocal? dynamoDb, CancellationToken ct)
    {
        using (var client = dynamoDb!.CreateClient())
        {
            await HolidayTables.CreateAsync(client, TableNames.Default, ct);
        }

        var port = FreeLoopbackPort();
        var environment = QuietHostEnvironment(port);
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDb.Endpoint.ToString();
        environment["AWS_REGION"] = "us-east-1";
        environment["AWS_ACCESS_KEY_ID"] = "local";
        environment["AWS_SECRET_ACCESS_KEY"] = "local";
        environment["FLIGHTS_TABLE_NAME"] = TableNames.Default.Flights;
        environment["CARS_TABLE_NAME"] = TableNames.Default.Cars;
        environment["PAYMENTS_TABLE_NAME"] = TableNames.Default.Payments;
        environment["TRIPS_TABLE_NAME"] = TableNames.Default.Trips;
        var process = await DotnetAppProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Holiday.Host.dll"), [], environment,
            "listening on", ct);
        return (process, new Uri($"http://127.0.0.1:{port}/"));
    }
}
