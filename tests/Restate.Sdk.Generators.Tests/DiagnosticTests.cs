using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Restate.Sdk.Generators.Tests.Infrastructure;

namespace Restate.Sdk.Generators.Tests;

/// <summary>Each generator diagnostic fires once, at the marked span (<c>[|…|]</c>), with its message.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Restate.Sdk;
        using Restate.Sdk.Definitions;

        """;

    // After the test's own code, so that an [assembly: …] attribute there still comes before every type.
    private const string Types = """

        public sealed record Item(string Name);

        public sealed record Unlisted(int Value);

        [JsonSerializable(typeof(Item))]
        public sealed partial class ItemJson : JsonSerializerContext;

        """;

    [Fact]
    public void ClassWithoutPartial_Reports001()
    {
        var diagnostic = AssertSingle("RESTATE001", """
            [Service]
            public class [|Orders|]
            {
                [Handler] public Task PlaceAsync(Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'Orders' must be partial: the Restate generator adds its Definition factory to it", Message(diagnostic));
    }

    [Theory]
    [InlineData("public partial class Outer { [Service] public partial class [|Inner|] { [Handler] public Task A(Context c) => Task.CompletedTask; } }",
        "'Inner' cannot be a Restate service: it is nested in another type; declare it at namespace level")]
    [InlineData("[Service] public partial class [|Generic|]<T> { [Handler] public Task A(Context c) => Task.CompletedTask; }",
        "'Generic' cannot be a Restate service: it is generic")]
    public void NestedOrGenericClass_Reports002(string source, string message) =>
        Assert.Equal(message, Message(AssertSingle("RESTATE002", source)));

    [Fact]
    public void TwoServiceAttributes_Reports003Once()
    {
        var diagnostic = AssertSingle("RESTATE003", """
            [Service]
            [VirtualObject]
            public partial class [|Both|]
            {
                [Handler] public Task A(Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'Both' has more than one of [Service], [VirtualObject] and [Workflow]", Message(diagnostic));
    }

    [Theory]
    [InlineData("bad name", "use letters, digits, '.', '_' and '-', starting with a letter (or '_' and a letter or digit)")]
    [InlineData("restate_admin", "the name is reserved by Restate")]
    public void InvalidServiceName_Reports004AtTheName(string name, string why)
    {
        var diagnostic = AssertSingle("RESTATE004", $$"""
            [Service([|"{{name}}"|])]
            public partial class Orders
            {
                [Handler] public Task A(Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal($"'{name}' is not a valid Restate service name: {why}", Message(diagnostic));
    }

    [Fact]
    public void InvalidHandlerName_Reports005AtTheName()
    {
        var diagnostic = AssertSingle("RESTATE005", """
            [Service]
            public partial class Orders
            {
                [Handler([|"place-order"|])] public Task A(Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'place-order' is not a valid Restate handler name: use letters, digits and '_', starting with a letter (or '_' and a letter or digit)",
            Message(diagnostic));
    }

    [Fact]
    public void DuplicateHandlerName_Reports006AtTheSecond()
    {
        var diagnostic = AssertSingle("RESTATE006", """
            [Service]
            public partial class Orders
            {
                [Handler] public Task PlaceAsync(Context ctx) => Task.CompletedTask;

                [Handler([|"Place"|])] public Task PlaceAgainAsync(Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'Orders' already has a handler named 'Place' (method 'PlaceAsync'): give one of them another name with [Handler(\"…\")]",
            Message(diagnostic));
    }

    [Theory]
    [InlineData("[Handler] public Task [|A|]<T>(Context ctx) => Task.CompletedTask;", "it is generic")]
    [InlineData("[Handler] public Task [|A|]() => Task.CompletedTask;", "it has no context parameter")]
    [InlineData("[Handler] public Task [|A|](Context ctx, string a, string b) => Task.CompletedTask;", "it has 3 parameters; wrap the inputs in one record")]
    [InlineData("[Handler] public Task [|A|](Context ctx, ref int a) => Task.CompletedTask;", "parameter 'a' is passed by reference")]
    [InlineData("[Handler] public Task [|A|](Context ctx, params int[] a) => Task.CompletedTask;", "parameter 'a' is a params array")]
    [InlineData("[Handler] public Task [|A|](Context ctx, int a = 1) => Task.CompletedTask;", "parameter 'a' is optional")]
    public void UnsupportedSignature_Reports007NamingTheMethodAndWhatIsAllowed(string handler, string problem)
    {
        var diagnostic = AssertSingle("RESTATE007", $$"""
            [Service]
            public partial class Orders
            {
                {{handler}}
            }
            """);

        Assert.Equal($"Handler 'A' has an unsupported signature: {problem}. A handler is a method (TContext ctx) or (TContext ctx, TInput input) "
            + "returning Task, Task<T>, ValueTask or ValueTask<T>.", Message(diagnostic));
    }

    [Theory]
    [InlineData("VirtualObject", "", "SharedObjectContext", "ObjectContext",
        "exclusive handlers of a virtual object take ObjectContext (mark the handler [Shared] to take SharedObjectContext)")]
    [InlineData("VirtualObject", "[Shared]", "ObjectContext", "SharedObjectContext", "shared handlers of a virtual object take SharedObjectContext")]
    [InlineData("Service", "", "ObjectContext", "Context", "handlers of a service take Context")]
    [InlineData("Workflow", "[Shared]", "WorkflowContext", "SharedWorkflowContext", "shared handlers of a workflow take SharedWorkflowContext")]
    public void WrongContextType_Reports008AtTheParameterType(string kind, string shared, string taken, string expected, string why)
    {
        var runHandler = kind == "Workflow" ? "[Handler] public Task RunAsync(WorkflowContext ctx) => Task.CompletedTask;" : "";
        var diagnostic = AssertSingle("RESTATE008", $$"""
            [{{kind}}]
            public partial class Target
            {
                {{runHandler}}
                {{shared}} [Handler] public Task A([|{{taken}}|] ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal($"Handler 'A' must take {expected} as its first parameter: {why}", Message(diagnostic));
    }

    [Theory]
    [InlineData("[|int|]", "int")]
    [InlineData("[|void|]", "void")]
    [InlineData("[|IAsyncEnumerable<int>|]", "System.Collections.Generic.IAsyncEnumerable<int>")]
    public void UnsupportedReturnType_Reports009AtTheReturnType(string returnType, string shown)
    {
        var diagnostic = AssertSingle("RESTATE009", $$"""
            using System.Collections.Generic;

            [Service]
            public partial class Orders
            {
                [Handler] public {{returnType}} A(Context ctx) => throw null!;
            }
            """);

        Assert.Equal($"Handler 'A' returns {shown}: a handler returns Task, Task<T>, ValueTask or ValueTask<T>", Message(diagnostic));
    }

    [Fact]
    public void SharedHandlerOnPlainService_Reports010()
    {
        var diagnostic = AssertSingle("RESTATE010", """
            [Service]
            public partial class Orders
            {
                [Shared] [Handler] public Task [|CountAsync|](Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("Handler 'CountAsync' is [Shared], but 'Orders' is a plain service: only virtual object and workflow handlers can be shared",
            Message(diagnostic));
    }

    [Fact]
    public void WorkflowWithoutRunHandler_Reports011AtTheClass()
    {
        var diagnostic = AssertSingle("RESTATE011", """
            [Workflow]
            public partial class [|Signup|]
            {
                [Shared] [Handler] public Task ApproveAsync(SharedWorkflowContext ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("Workflow 'Signup' must have exactly one run handler (a [Handler] without [Shared]): all its handlers are [Shared]", Message(diagnostic));
    }

    [Fact]
    public void WorkflowWithTwoRunHandlers_Reports011AtTheSecond()
    {
        var diagnostic = AssertSingle("RESTATE011", """
            [Workflow]
            public partial class Signup
            {
                [Handler] public Task RunAsync(WorkflowContext ctx) => Task.CompletedTask;

                [Handler] public Task [|ApproveAsync|](WorkflowContext ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("Workflow 'Signup' must have exactly one run handler (a [Handler] without [Shared]): this is another handler without [Shared]; "
            + "mark all but the run handler [Shared]", Message(diagnostic));
    }

    [Fact]
    public void ClassWithoutHandlers_Reports012()
    {
        var diagnostic = AssertSingle("RESTATE012", """
            [VirtualObject]
            public partial class [|Empty|]
            {
                public Task NotAHandlerAsync(ObjectContext ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'Empty' has no [Handler] methods", Message(diagnostic));
    }

    [Theory]
    [InlineData("Service", "[|InactivityTimeout = \"10 seconds\"|]", "InactivityTimeout", "10 seconds",
        "use a duration such as \"500ms\", \"10s\", \"5m\", \"1h30m\" or \"2d\"")]
    [InlineData("Service", "[|JournalRetention = \"\"|]", "JournalRetention", "", "use a duration such as \"500ms\", \"10s\", \"5m\", \"1h30m\" or \"2d\"")]
    [InlineData("Service", "[|RetryMaxAttempts = 0|]", "RetryMaxAttempts", "0", "it must be at least 1")]
    [InlineData("Service", "[|RetryExponentiationFactor = 0.5|]", "RetryExponentiationFactor", "0.5", "it must be a finite number of at least 1")]
    [InlineData("Service", "[|RetryOnMaxAttempts = (OnMaxAttempts)7|]", "RetryOnMaxAttempts", "7", "use OnMaxAttempts.Pause or OnMaxAttempts.Kill")]
    [InlineData("Service", "[|OnJournalMismatch = (OnJournalMismatch)7|]", "OnJournalMismatch", "7",
        "use OnJournalMismatch.Retry, OnJournalMismatch.Pause or OnJournalMismatch.Fail")]
    [InlineData("Service", "[|WorkflowCompletionRetention = \"1d\"|]", "WorkflowCompletionRetention", "1d",
        "only a workflow or its run handler has a completion retention")]
    public void InvalidHandlerOption_Reports013AtTheOption(string kind, string option, string name, string value, string why)
    {
        var diagnostic = AssertSingle("RESTATE013", $$"""
            [{{kind}}]
            public partial class Configured
            {
                [Handler({{option}})] public Task A(Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal($"Invalid {name} '{value}': {why}", Message(diagnostic));
    }

    [Fact]
    public void IdempotencyRetentionOnWorkflowRun_Reports013()
    {
        var diagnostic = AssertSingle("RESTATE013", """
            [Workflow]
            public partial class Signup
            {
                [Handler([|IdempotencyRetention = "1h"|])] public Task RunAsync(WorkflowContext ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("Invalid IdempotencyRetention '1h': the run handler of a workflow keeps its result for WorkflowCompletionRetention instead",
            Message(diagnostic));
    }

    [Fact]
    public void JsonTypeWithoutSerializer_Reports014AtTheType()
    {
        var diagnostic = AssertSingle("RESTATE014", """
            [Service]
            public partial class Orders
            {
                [Handler] public Task A(Context ctx, [|Item|] item) => Task.CompletedTask;
            }
            """);

        Assert.Equal("Handler 'A' needs JSON for Item, but no serializer context is configured: add [assembly: RestateSerializer(typeof(YourJsonContext))] "
            + "or set Serializer on the class attribute", Message(diagnostic));
    }

    [Theory]
    [InlineData("Task A(Context ctx, [|Unlisted|] value)")]
    [InlineData("[|Task<Unlisted?>|] A(Context ctx)")]
    [InlineData("Task A(Context ctx, [|double|] value)")]
    public void TypeMissingFromTheContext_Reports015AtTheType(string signature)
    {
        var diagnostic = AssertSingle("RESTATE015", $$"""
            [Service(Serializer = typeof(ItemJson))]
            public partial class Orders
            {
                [Handler] public {{signature}} => throw null!;
            }
            """);

        var type = signature.Contains("double", StringComparison.Ordinal) ? "double" : "Unlisted";
        Assert.Equal($"{type} (used by handler 'A') is not in the JSON serializer context 'ItemJson': add [JsonSerializable(typeof({type}))] to it",
            Message(diagnostic));
    }

    [Fact]
    public void TypeOnlyInAPrivateMemberOfAContextType_Reports015()
    {
        var diagnostic = AssertSingle("RESTATE015", """
            public sealed class Hidden;

            public sealed class Holder
            {
                private Hidden? _hidden;

                public int Value { get; set; }

                public Hidden? Peek() => _hidden;
            }

            [JsonSerializable(typeof(Holder))]
            public sealed partial class HolderJson : JsonSerializerContext;

            [Service(Serializer = typeof(HolderJson))]
            public partial class Orders
            {
                [Handler] public Task A(Context ctx, [|Hidden|] value) => Task.CompletedTask;
            }
            """);

        Assert.Equal("Hidden (used by handler 'A') is not in the JSON serializer context 'HolderJson': add [JsonSerializable(typeof(Hidden))] to it",
            Message(diagnostic));
    }

    [Fact]
    public void TypeReachableThroughAPublicProperty_IsInTheContextAndCompiles()
    {
        var run = GeneratorHarness.Run(Usings + """
            using System.Collections.Generic;

            public sealed class Line
            {
                public string Sku { get; set; } = "";
            }

            public sealed class Cart
            {
                public List<Line> Lines { get; set; } = [];
            }

            [JsonSerializable(typeof(Cart))]
            public sealed partial class CartJson : JsonSerializerContext;

            [Service(Serializer = typeof(CartJson))]
            public partial class Orders
            {
                [Handler] public Task<List<Line>> A(Context ctx, Line line) => Task.FromResult(new List<Line> { line });
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains("CartJson.Default.ListLine", run.GeneratedSources["Orders.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void ClassSerializerThatIsNoJsonContext_Reports016AtTheProperty()
    {
        var diagnostic = AssertSingle("RESTATE016", """
            [Service([|Serializer = typeof(Item)|])]
            public partial class Orders
            {
                [Handler] public Task A(Context ctx, Item item) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'Item' is not a JSON serializer context: it must derive from System.Text.Json.Serialization.JsonSerializerContext", Message(diagnostic));
    }

    [Fact]
    public void AssemblySerializerThatIsNoJsonContext_Reports016OnceAtTheAttribute()
    {
        var diagnostic = AssertSingle("RESTATE016", """
            [assembly: RestateSerializer([|typeof(Item)|])]

            [Service]
            public partial class Orders
            {
                [Handler] public Task A(Context ctx, Item item) => Task.CompletedTask;
            }

            [Service]
            public partial class Payments
            {
                [Handler] public Task A(Context ctx, Item item) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'Item' is not a JSON serializer context: it must derive from System.Text.Json.Serialization.JsonSerializerContext", Message(diagnostic));
    }

    [Fact]
    public void HandlerInPlainClass_Reports017()
    {
        var diagnostic = AssertSingle("RESTATE017", """
            public class Helpers
            {
                [Handler] public Task [|A|](Context ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'A' is a [Handler], but 'Helpers' has no [Service], [VirtualObject] or [Workflow] attribute", Message(diagnostic));
    }

    [Fact]
    public void SharedWithoutHandler_Reports018()
    {
        var diagnostic = AssertSingle("RESTATE018", """
            [VirtualObject]
            public partial class Counter
            {
                [Handler] public Task AddAsync(ObjectContext ctx) => Task.CompletedTask;

                [Shared] public Task [|GetAsync|](SharedObjectContext ctx) => Task.CompletedTask;
            }
            """);

        Assert.Equal("'GetAsync' is [Shared] but not a [Handler]: add [Handler] or remove [Shared]", Message(diagnostic));
    }

    [Theory]
    [InlineData("[Handler(\"send\")] public Task [|Send|](Context ctx) => Task.CompletedTask;", "Send", "the client's own member 'Send'")]
    [InlineData("[Handler(\"a\")] public Task A(Context ctx) => Task.CompletedTask; [Handler(\"b\")] public Task [|A|](Context ctx, string s) => Task.CompletedTask;",
        "A", "the method of handler 'a' (client methods are named after the C# methods)")]
    [InlineData("[Handler(\"a\")] public Task Place(Context ctx) => Task.CompletedTask; [Handler(\"b\")] public Task [|PlaceAsync|](Context ctx) => Task.CompletedTask;",
        "PlaceAsync", "the send method 'Place' of handler 'a' (send methods drop the Async suffix)")]
    public void HandlerMethodClashingInTheClient_Reports019(string handlers, string method, string clash)
    {
        var diagnostic = AssertSingle("RESTATE019", $$"""
            [Service]
            public partial class Orders
            {
                {{handlers}}
            }
            """);

        Assert.Equal($"Handler method '{method}' clashes with {clash} in the generated client: rename the method", Message(diagnostic));
    }

    [Theory]
    [InlineData("Accept", "json", "use one media type such as \"application/json\", or a wildcard \"text/*\" or \"*/*\"")]
    [InlineData("Accept", "*/json", "restate-server has no wildcard \"*/subtype\": use \"type/*\" or \"*/*\"")]
    [InlineData("Accept", "application/json; charset=utf-8", "restate-server compares type and subtype only, so a parameter would never match: drop it")]
    [InlineData("Accept", "application/json, text/plain", "restate-server takes one media type per handler, not a list")]
    [InlineData("Accept", "Application/JSON",
        "write it in lower case (\"application/json\"): restate-server compares media types case-sensitively, and clients send them in lower case")]
    [InlineData("ContentType", "text/*", "a response has one media type, not a wildcard")]
    [InlineData("ContentType", "text plain", "use a media type such as \"text/plain\" or \"application/json; charset=utf-8\"")]
    [InlineData("ContentType", "text/plain; charset", "use a media type such as \"text/plain\" or \"application/json; charset=utf-8\"")]
    public void InvalidContentType_Reports020AtTheProperty(string option, string value, string why)
    {
        var diagnostic = AssertSingle("RESTATE020", $$"""
            [Service]
            public partial class Webhooks
            {
                [Handler([|{{option}} = "{{value}}"|])] public Task<byte[]> A(Context ctx, byte[] body) => Task.FromResult(body);
            }
            """);

        Assert.Equal($"Invalid {option} '{value}' on handler 'A': {why}", Message(diagnostic));
    }

    [Theory]
    [InlineData("Accept = \"application/json\"", "Task<byte[]> A(Context ctx)", "Accept", "application/json",
        "the handler takes no input, so there is no request body to accept")]
    [InlineData("ContentType = \"text/plain\"", "Task A(Context ctx, byte[] body)", "ContentType", "text/plain",
        "the handler returns no value (Task or ValueTask), so there is no response body to label")]
    public void ContentTypeWithoutThePayload_Reports020AtTheProperty(string argument, string signature, string option, string value, string why)
    {
        var diagnostic = AssertSingle("RESTATE020", $$"""
            [Service]
            public partial class Webhooks
            {
                [Handler([|{{argument}}|])] public {{signature}} => throw null!;
            }
            """);

        Assert.Equal($"Invalid {option} '{value}' on handler 'A': {why}", Message(diagnostic));
    }

    [Theory]
    [InlineData("Task A(Context ctx, [Serde([|typeof(ItemSerde)|])] string text)", "ItemSerde", "input", "it derives from Serde<Item>, but the input is string")]
    [InlineData("[return: Serde([|typeof(ItemSerde)|])] public Task<int?> A(Context ctx)", "ItemSerde", "output",
        "it derives from Serde<Item>, but the output is int?")]
    [InlineData("Task A(Context ctx, [Serde([|typeof(Item)|])] Item item)", "Item", "input",
        "it does not derive from Restate.Sdk.Serde<T>; a [Serde] type derives from Serde<Item>")]
    [InlineData("Task A([Serde([|typeof(ItemSerde)|])] Context ctx)", "ItemSerde", "context parameter",
        "only the input parameter and the return value ([return: Serde(…)]) have serdes")]
    [InlineData("[return: Serde([|typeof(ItemSerde)|])] public Task A(Context ctx, string text)", "ItemSerde", "output",
        "the handler returns no value (Task or ValueTask)")]
    public void SerdeThatDoesNotFitThePayload_Reports021AtTheType(string signature, string serde, string role, string why)
    {
        var declaration = signature.StartsWith("[return:", StringComparison.Ordinal) ? signature : "public " + signature;
        var diagnostic = AssertSingle("RESTATE021", $$"""
            public sealed class ItemSerde : Serde<Item>
            {
                public override string ContentType => "application/json";
                public override System.ReadOnlyMemory<byte> Serialize(Item value) => default;
                public override Item Deserialize(System.ReadOnlyMemory<byte> bytes) => new("");
            }

            [Service]
            public partial class Orders
            {
                [Handler] {{declaration}} => throw null!;
            }
            """);

        Assert.Equal($"'{serde}' cannot serialize the {role} of handler 'A': {why}", Message(diagnostic));
    }

    [Theory]
    [InlineData("AbstractSerde", "AbstractSerde", "it is abstract")]
    [InlineData("KeyedSerde", "KeyedSerde", "it has no public parameterless constructor")]
    [InlineData("SingletonSerde", "SingletonSerde", "it has no public parameterless constructor")]
    [InlineData("GenericSerde<>", "GenericSerde<>", "it is an open generic type; name a closed one, such as typeof(MySerde<Item>)")]
    [InlineData("Orders.HiddenSerde", "Orders.HiddenSerde", "it is not accessible outside the type that declares it; make it internal or public")]
    public void SerdeTheGeneratedCodeCannotCreate_Reports022AtTheType(string serde, string shown, string why)
    {
        var diagnostic = AssertSingle("RESTATE022", $$"""
            public abstract class AbstractSerde : Serde<Item>
            {
                public override string ContentType => "application/json";
                public override System.ReadOnlyMemory<byte> Serialize(Item value) => default;
                public override Item Deserialize(System.ReadOnlyMemory<byte> bytes) => new("");
            }

            public sealed class KeyedSerde(string key) : AbstractSerde
            {
                public string Key => key;
            }

            public sealed class SingletonSerde : AbstractSerde
            {
                private SingletonSerde()
                {
                }

                public static SingletonSerde Instance { get; } = new();
            }

            public sealed class GenericSerde<T> : Serde<T>
            {
                public override string ContentType => "application/json";
                public override System.ReadOnlyMemory<byte> Serialize(T value) => default;
                public override T Deserialize(System.ReadOnlyMemory<byte> bytes) => default!;
            }

            [Service]
            public partial class Orders
            {
                [Handler] public Task A(Context ctx, [Serde([|typeof({{serde}})|])] Item item) => Task.CompletedTask;

                private sealed class HiddenSerde : AbstractSerde;
            }
            """);

        Assert.Equal($"'{shown}' cannot be created by the generated code: {why}. A [Serde] type is a class the generated code can reach, neither abstract "
            + "nor an open generic type, with a public parameterless constructor.", Message(diagnostic));
    }

    [Fact]
    public void CustomSerde_TypeOutsideAnyJsonContext_ReportsNothingAndCompiles()
    {
        var run = GeneratorHarness.Run(Usings + """
            public sealed class UnlistedSerde : Serde<Unlisted>
            {
                public override string ContentType => "application/json";
                public override System.ReadOnlyMemory<byte> Serialize(Unlisted value) => default;
                public override Unlisted Deserialize(System.ReadOnlyMemory<byte> bytes) => new(0);
            }

            [Service(Serializer = typeof(ItemJson))]
            public partial class Typed
            {
                [Handler]
                [return: Serde(typeof(UnlistedSerde))]
                public Task<Unlisted> A(Context ctx, [Serde(typeof(UnlistedSerde))] Unlisted value) => Task.FromResult(value);
            }

            [Service]
            public partial class WithoutContext
            {
                [Handler] public Task A(Context ctx, [Serde(typeof(UnlistedSerde))] Unlisted value) => Task.CompletedTask;
            }
            """ + Types);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains("AOutput =\n        new global::UnlistedSerde();", run.GeneratedSources["Typed.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidHandler_OtherHandlersStillGenerated_SoCallersCompile()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Service(Serializer = typeof(ItemJson))]
            public partial class Orders
            {
                [Handler] public Task<Item> GoodAsync(Context ctx, Item item) => Task.FromResult(item);

                [Handler] public Task BadAsync(Context ctx, Unlisted value) => Task.CompletedTask;
            }
            """ + Types);

        Assert.Equal("RESTATE015", Assert.Single(run.GeneratorDiagnostics).Id);
        var source = run.GeneratedSources["Orders.g.cs"];
        Assert.Contains("GoodAsync(global::Item item", source, StringComparison.Ordinal);
        Assert.DoesNotContain("BadAsync", source, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidClasses_ReportNothing()
    {
        var run = GeneratorHarness.Run(Usings + """
            [assembly: RestateSerializer(typeof(ItemJson))]

            [Service] public partial class S { [Handler] public Task<Item> A(Context ctx, Item i) => Task.FromResult(i); }

            [VirtualObject] public partial class O
            {
                [Handler] public Task A(ObjectContext ctx) => Task.CompletedTask;
                [Shared] [Handler] public ValueTask<string> B(SharedObjectContext ctx) => ValueTask.FromResult("");
            }

            [Workflow] public partial class W
            {
                [Handler("run", WorkflowCompletionRetention = "1d")] public Task<bool> RunAsync(WorkflowContext ctx, string input) => Task.FromResult(true);
                [Shared] [Handler(IdempotencyRetention = "10m")] public Task SignalAsync(SharedWorkflowContext ctx, byte[] payload) => Task.CompletedTask;
            }
            """ + Types);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static Diagnostic AssertSingle(string id, string markedSource)
    {
        var marked = Usings + markedSource + Types;
        var start = marked.IndexOf("[|", StringComparison.Ordinal);
        var end = marked.IndexOf("|]", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "The test source marks the expected span with [|…|].");
        var source = marked.Remove(end, 2).Remove(start, 2);
        var expectedSpan = new TextSpan(start, end - start - 2);

        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Input.cs", diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(source[expectedSpan.Start..expectedSpan.End], source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
        return diagnostic;
    }

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);
}
