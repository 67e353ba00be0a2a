using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// The non-deterministic and scheduler-escaping APIs, matched by symbol against the BCL types of the compilation
/// (a type the target framework lacks, such as <c>TimeProvider</c> before .NET 8, simply never matches).
/// </summary>
internal sealed class HandlerApiCatalog
{
    private const string NowAlternative = "'await {0}.NowAsync()', which is journaled";
    private const string ElapsedAlternative = "'await {0}.NowAsync()' before and after, or measure inside '{0}.RunAsync'";
    private const string SleepAlternative = "'await {0}.SleepAsync(…)', a durable timer";
    private const string EnvironmentAlternative = "read it once at startup and pass the value to the service definition, or read it inside '{0}.RunAsync'";
    private const string SchedulerAlternative = "await durable futures in the handler itself and put side effects in '{0}.RunAsync'";

    private static readonly HandlerApi TimeProviderSystem = new(RestateDiagnostics.ClockRead, "TimeProvider.System",
        "'await {0}.NowAsync()' for the time and '{0}.SleepAsync' for delays");
    private static readonly HandlerApi NewRandom = new(RestateDiagnostics.Randomness, "new Random()", "'{0}.Random', seeded from the invocation id");
    private static readonly HandlerApi SharedRandom = new(RestateDiagnostics.Randomness, "Random.Shared", "'{0}.Random', seeded from the invocation id");
    private static readonly HandlerApi NewStopwatch = new(RestateDiagnostics.ClockRead, "new Stopwatch()", ElapsedAlternative);
    private static readonly HandlerApi NewThread = new(RestateDiagnostics.OffScheduler, "new Thread()", SchedulerAlternative);

    private readonly INamedTypeSymbol? _dateTime;
    private readonly INamedTypeSymbol? _dateTimeOffset;
    private readonly INamedTypeSymbol? _timeProvider;
    private readonly INamedTypeSymbol? _stopwatch;
    private readonly INamedTypeSymbol? _guid;
    private readonly INamedTypeSymbol? _random;
    private readonly INamedTypeSymbol? _randomNumberGenerator;
    private readonly INamedTypeSymbol? _task;
    private readonly INamedTypeSymbol? _taskFactory;
    private readonly INamedTypeSymbol? _taskFactoryOfT;
    private readonly INamedTypeSymbol? _thread;
    private readonly INamedTypeSymbol? _threadPool;
    private readonly INamedTypeSymbol? _environment;

    public HandlerApiCatalog(Compilation compilation)
    {
        _dateTime = compilation.GetTypeByMetadataName("System.DateTime");
        _dateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        _timeProvider = compilation.GetTypeByMetadataName("System.TimeProvider");
        _stopwatch = compilation.GetTypeByMetadataName("System.Diagnostics.Stopwatch");
        _guid = compilation.GetTypeByMetadataName("System.Guid");
        _random = compilation.GetTypeByMetadataName("System.Random");
        _randomNumberGenerator = compilation.GetTypeByMetadataName("System.Security.Cryptography.RandomNumberGenerator");
        _task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        _taskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        _taskFactoryOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory`1");
        _thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        _threadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
        _environment = compilation.GetTypeByMetadataName("System.Environment");
    }

    /// <summary>The API that <paramref name="operation"/> uses, or null when it is none of the listed ones.</summary>
    public HandlerApi? Match(IOperation operation) => operation switch
    {
        IPropertyReferenceOperation property => MatchProperty(property.Property),
        IInvocationOperation invocation => MatchMethod(invocation.TargetMethod),
        IMethodReferenceOperation reference => MatchMethod(reference.Method),
        IObjectCreationOperation creation => MatchConstructor(creation),
        _ => null,
    };

    private HandlerApi? MatchProperty(IPropertySymbol property)
    {
        if (!property.IsStatic)
        {
            return null;
        }
        var type = property.ContainingType;
        var name = property.Name;
        if ((Is(type, _dateTime) && name is "Now" or "UtcNow" or "Today") || (Is(type, _dateTimeOffset) && name is "Now" or "UtcNow"))
        {
            return new HandlerApi(RestateDiagnostics.ClockRead, $"{type.Name}.{name}", NowAlternative);
        }
        if (Is(type, _timeProvider) && name == "System")
        {
            return TimeProviderSystem;
        }
        if (Is(type, _random) && name == "Shared")
        {
            return SharedRandom;
        }
        if (Is(type, _environment))
        {
            return name switch
            {
                // The platform's line separator is the same on every host that runs the same build.
                "NewLine" => null,
                "TickCount" or "TickCount64" => new HandlerApi(RestateDiagnostics.ClockRead, $"Environment.{name}", ElapsedAlternative),
                _ => new HandlerApi(RestateDiagnostics.EnvironmentRead, $"Environment.{name}", EnvironmentAlternative),
            };
        }
        return null;
    }

    private HandlerApi? MatchMethod(IMethodSymbol method)
    {
        var type = method.ContainingType?.OriginalDefinition;
        var name = method.Name;
        if (!method.IsStatic)
        {
            return (Is(type, _taskFactory) || Is(type, _taskFactoryOfT)) && name == "StartNew"
                ? new HandlerApi(RestateDiagnostics.OffScheduler, "Task.Factory.StartNew()", SchedulerAlternative)
                : null;
        }
        if (Is(type, _guid) && name is "NewGuid" or "CreateVersion7")
        {
            return Api(RestateDiagnostics.Randomness, "'{0}.Random.NewGuid()'");
        }
        if (Is(type, _randomNumberGenerator))
        {
            return Api(RestateDiagnostics.Randomness, "'{0}.Random', or generate the value inside '{0}.RunAsync' so it is journaled");
        }
        if (Is(type, _stopwatch) && name is "StartNew" or "GetTimestamp" or "GetElapsedTime")
        {
            return Api(RestateDiagnostics.ClockRead, ElapsedAlternative);
        }
        if ((Is(type, _task) && name == "Delay") || (Is(type, _thread) && name == "Sleep"))
        {
            return Api(RestateDiagnostics.NonDurableWait, SleepAlternative);
        }
        if ((Is(type, _task) && name == "Run") || (Is(type, _threadPool) && name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem"))
        {
            return Api(RestateDiagnostics.OffScheduler, SchedulerAlternative);
        }
        // Exit, FailFast and SetEnvironmentVariable are not reads; every other Environment method is.
        if (Is(type, _environment) && name is not ("Exit" or "FailFast" or "SetEnvironmentVariable"))
        {
            return Api(RestateDiagnostics.EnvironmentRead, EnvironmentAlternative);
        }
        return null;

        // The display name is only built for a match: this runs for every static call in the compilation.
        HandlerApi Api(DiagnosticDescriptor rule, string alternative) => new(rule, $"{type?.Name}.{name}()", alternative);
    }

    private HandlerApi? MatchConstructor(IObjectCreationOperation creation)
    {
        var type = creation.Constructor?.ContainingType;
        if (Is(type, _random))
        {
            // new Random(seed) replays the same sequence when the seed is deterministic.
            return creation.Arguments.Length == 0 ? NewRandom : null;
        }
        if (Is(type, _stopwatch))
        {
            return NewStopwatch;
        }
        return Is(type, _thread) ? NewThread : null;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);
}
