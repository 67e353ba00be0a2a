using Restate.Sdk.Conformance.Services.Contracts;
using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services;

/// <summary>Every contract service of the conformance suite, by the name the suite's <c>SERVICES</c> list uses.</summary>
internal static class ContractCatalog
{
    /// <summary>All services, in a stable order.</summary>
    public static IReadOnlyList<ServiceDefinition> All() =>
    [
        AwakeableHolder.Definition(),
        BlockAndWaitWorkflow.Definition(),
        CancelTest.Runner(),
        CancelTest.BlockingService(),
        Counter.Definition(),
        Failing.Definition(),
        KillTest.Runner(),
        KillTest.Singleton(),
        ListObject.Definition(),
        MapObject.Definition(),
        NonDeterministic.Definition(),
        Proxy.Definition(),
        TestUtilsService.Definition(),
        VirtualObjectCommandInterpreter.Definition(),
        .. Enumerable.Range(0, ObjectInterpreter.Layers).Select(ObjectInterpreter.Definition),
        ServiceInterpreterHelper.Definition(),
    ];

    /// <summary>
    /// The services named in <paramref name="names"/> (all when empty or <c>*</c>). <c>ObjectInterpreter</c>, the
    /// contract's name, stands for its three layers <c>ObjectInterpreterL0</c>..<c>L2</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A name that is not a contract service.</exception>
    public static IReadOnlyList<ServiceDefinition> Select(IReadOnlyCollection<string> names)
    {
        var all = All();
        if (names.Count == 0 || names.Contains("*"))
        {
            return all;
        }
        var byName = all.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var selected = new List<ServiceDefinition>();
        foreach (var name in names)
        {
            if (name == ObjectInterpreter.ContractName)
            {
                selected.AddRange(Enumerable.Range(0, ObjectInterpreter.Layers).Select(layer => byName[ObjectInterpreter.NameOf(layer)]));
            }
            else if (byName.TryGetValue(name, out var service))
            {
                selected.Add(service);
            }
            else
            {
                throw new InvalidOperationException($"Unknown service '{name}' in SERVICES. Known: {string.Join(", ", byName.Keys)}.");
            }
        }
        return [.. selected.DistinctBy(s => s.Name)];
    }
}
