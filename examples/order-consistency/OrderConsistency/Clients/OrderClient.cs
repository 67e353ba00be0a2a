using OrderConsistency.Orders;
using Restate.Sdk;
using Restate.Sdk.Client;

namespace OrderConsistency.Clients;

/// <summary>
/// A client running order sequences through <see cref="FailoverIngress"/>: create an order, add a few random items,
/// then close it, cancel it, or close and then cancel it. Every request carries an idempotency key made of the order
/// id and the step, so a retry through another endpoint never repeats a step. The random choices come from a seeded
/// <see cref="Random"/>, so a run is the same sequence every time.
/// </summary>
/// <param name="ingress">The endpoints and the failover rule.</param>
/// <param name="choice">Which endpoint each request goes to first.</param>
/// <param name="firstEndpoint">The index of the endpoint of the first request.</param>
/// <param name="seed">The seed of the order contents and endings.</param>
/// <param name="oneWayEndings">Send close and cancel one-way (the ingress's <c>/send</c>) instead of calling them: each
/// is sent again only until an endpoint accepts it, never after, and the client then waits for that invocation's result
/// (attach) through any endpoint. What finishes the step is then Restate alone, not the client's retries.</param>
public sealed class OrderClient(FailoverIngress ingress, EndpointChoice choice, int firstEndpoint, int seed, bool oneWayEndings = false)
{
    private static readonly Serde<OrderView> ViewSerde = Serde.Json(OrderJson.Default.OrderView);

    private static readonly string[] Assets = ["AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "TSLA"];
    private readonly Random _random = new(seed);
    private int _requests;

    /// <summary>Runs one order from creation to close, cancel, or close and cancel.</summary>
    /// <param name="orderId">The order; a fresh id.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<OrderRun> RunOrderAsync(string orderId, CancellationToken cancellationToken = default)
    {
        var run = new RunLog(orderId);
        await OpenAsync(run, cancellationToken).ConfigureAwait(false);
        var ending = _random.Next(3);
        if (ending is 0 or 2)
        {
            await (oneWayEndings
                ? SendStepAsync(run, "close", (order, ct) => order.CloseAsync(ct), cancellationToken)
                : StepAsync(run, "close", (order, options, ct) => order.CloseAsync(options, ct), cancellationToken)).ConfigureAwait(false);
        }
        if (ending is 1 or 2)
        {
            await (oneWayEndings
                ? SendStepAsync(run, "cancel", (order, ct) => order.CancelAsync(ct), cancellationToken)
                : StepAsync(run, "cancel", (order, options, ct) => order.CancelAsync(options, ct), cancellationToken)).ConfigureAwait(false);
        }
        return run.ToRun(lastStatusHolds: true);
    }

    /// <summary>Runs <paramref name="count"/> orders one after the other, named <c>{prefix}-1</c>, <c>{prefix}-2</c>, ….</summary>
    public async Task<IReadOnlyList<OrderRun>> RunOrdersAsync(string prefix, int count, CancellationToken cancellationToken = default)
    {
        var runs = new List<OrderRun>();
        for (var i = 1; i <= count; i++)
        {
            runs.Add(await RunOrderAsync($"{prefix}-{i}", cancellationToken).ConfigureAwait(false));
        }
        return runs;
    }

    /// <summary>
    /// Two clients on one order: <paramref name="closer"/> creates it and adds items, then it closes while
    /// <paramref name="canceler"/> cancels, at the same moment, each through its own endpoint. Restate queues both on
    /// the order: a cancel that comes first cancels it (the close then answers 409), one that comes second reverses
    /// the closed order (or answers 409 if closing failed).
    /// </summary>
    public static async Task<OrderRun> RaceCloseAndCancelAsync(OrderClient closer, OrderClient canceler, string orderId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(closer);
        ArgumentNullException.ThrowIfNull(canceler);
        var run = new RunLog(orderId);
        await closer.OpenAsync(run, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(
            closer.StepAsync(run, "close", (order, options, ct) => order.CloseAsync(options, ct), cancellationToken),
            canceler.StepAsync(run, "cancel", (order, options, ct) => order.CancelAsync(options, ct), cancellationToken)).ConfigureAwait(false);
        return run.ToRun(lastStatusHolds: false);
    }

    private async Task OpenAsync(RunLog run, CancellationToken cancellationToken)
    {
        await StepAsync(run, "create", (order, options, ct) => order.CreateAsync(options, ct), cancellationToken).ConfigureAwait(false);
        var items = _random.Next(1, 5);
        for (var i = 1; i <= items; i++)
        {
            var item = new OrderItem($"item-{i}", Assets[_random.Next(Assets.Length)], _random.Next(1, 100));
            var view = await StepAsync(run, "add " + item.ItemId, (order, options, ct) => order.AddItemAsync(item, options, ct),
                cancellationToken).ConfigureAwait(false);
            (view is null ? run.Rejected : run.Added).Add(item.ItemId);
        }
    }

    /// <summary>One request with its idempotency key; a 4xx answer (the handler's own refusal) is logged and gives null.</summary>
    private async Task<OrderView?> StepAsync(RunLog run, string step,
        Func<OrderObjectIngressClient, CallOptions, CancellationToken, Task<OrderView>> call, CancellationToken cancellationToken)
    {
        var endpoint = NextEndpoint();
        var answeredBy = ingress.Endpoints[endpoint];
        try
        {
            var view = await ingress.CallAsync(endpoint, $"{run.OrderId}/{step}", (client, options, ct) =>
            {
                answeredBy = client.Ingress;
                return call(client.ObjectClient<OrderObjectIngressClient>(run.OrderId), options, ct);
            }, cancellationToken).ConfigureAwait(false);
            run.Answer($"{step} via {answeredBy.Authority}: {view.Status}", view.Status, finishes: step is "close" or "cancel");
            return view;
        }
        catch (TerminalException refused) when (refused.Code is >= 400 and < 500)
        {
            run.Answer($"{step} via {answeredBy.Authority}: {refused.Code} {refused.Message}", status: null, finishes: false);
            return null;
        }
    }

    /// <summary>
    /// A close or cancel sent one-way with its idempotency key: sent again (same key) only while no endpoint has accepted
    /// it; once one has, the client only waits for the invocation's result, through any endpoint. Restate must finish an
    /// invocation it accepted, whichever node accepted it and whatever happens to that node.
    /// </summary>
    private async Task<OrderView?> SendStepAsync(RunLog run, string step,
        Func<OrderObjectIngressSendClient, CancellationToken, Task<SendResult>> send, CancellationToken cancellationToken)
    {
        var endpoint = NextEndpoint();
        var acceptedBy = ingress.Endpoints[endpoint];
        var sent = await ingress.CallAsync(endpoint, $"{run.OrderId}/{step}", (client, options, ct) =>
        {
            acceptedBy = client.Ingress;
            var order = client.ObjectClient<OrderObjectIngressClient>(run.OrderId);
            return send(order.Send(new SendOptions { IdempotencyKey = options.IdempotencyKey }), ct);
        }, cancellationToken).ConfigureAwait(false);
        // Accepted: from now on the step must finish without being sent again.
        run.Accept();
        var answeredBy = acceptedBy;
        try
        {
            var view = await ingress.CallAsync(endpoint, $"{run.OrderId}/{step}/attach", (client, _, ct) =>
            {
                answeredBy = client.Ingress;
                return client.AttachAsync(sent.InvocationId, ViewSerde, ct);
            }, cancellationToken).ConfigureAwait(false);
            run.Answer($"{step} sent via {acceptedBy.Authority}, result via {answeredBy.Authority}: {view.Status}", view.Status, finishes: true);
            return view;
        }
        catch (TerminalException refused) when (refused.Code is >= 400 and < 500)
        {
            run.Answer($"{step} sent via {acceptedBy.Authority}, result via {answeredBy.Authority}: {refused.Code} {refused.Message}", status: null, finishes: false);
            return null;
        }
    }

    private int NextEndpoint()
    {
        var endpoint = choice == EndpointChoice.Sticky ? firstEndpoint : firstEndpoint + Interlocked.Increment(ref _requests);
        return endpoint % ingress.Endpoints.Count;
    }

    /// <summary>What happened to one order so far; thread-safe, as two clients may race on one order.</summary>
    private sealed class RunLog(string orderId)
    {
        private readonly Lock _gate = new();
        private readonly List<string> _answers = [];
        private OrderStatus? _lastStatus;
        private bool _finished;
        private bool _accepted;

        public string OrderId => orderId;

        public List<string> Added { get; } = [];

        public List<string> Rejected { get; } = [];

        /// <summary>A close or cancel was accepted one-way: the order must end up finished even if its result is never seen.</summary>
        public void Accept()
        {
            lock (_gate)
            {
                _accepted = true;
            }
        }

        public void Answer(string answer, OrderStatus? status, bool finishes)
        {
            lock (_gate)
            {
                _answers.Add(answer);
                _lastStatus = status ?? _lastStatus;
                _finished |= finishes;
            }
        }

        public OrderRun ToRun(bool lastStatusHolds)
        {
            lock (_gate)
            {
                return new OrderRun(orderId, [.. Added], [.. Rejected], [.. _answers], _finished || _accepted, lastStatusHolds ? _lastStatus : null);
            }
        }
    }
}
