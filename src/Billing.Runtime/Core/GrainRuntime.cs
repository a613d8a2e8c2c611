using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using Billing.Runtime.Metrics;
using Billing.Runtime.Reminders;
using Billing.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Runtime.Core;

/// <summary>
/// The silo's catalog: grain references, the directory of live activations (one per grain id),
/// dispatch of calls into mailboxes, idle collection and shutdown.
/// </summary>
public sealed class GrainRuntime : IGrainFactory
{
    // A call finds its activation going away at most a few times in a row; more means a bug.
    private const int MaxPlacementAttempts = 8;

    private readonly ConcurrentDictionary<GrainId, GrainActivation> directory = new();
    private readonly FrozenDictionary<Type, GrainTypeInfo> byInterface;
    private readonly FrozenDictionary<string, GrainTypeInfo> byName;
    private readonly GrainRuntimeMetrics metrics;
    private volatile bool stopping;

    internal GrainRuntime(
        IServiceProvider services,
        IEnumerable<GrainTypeInfo> grainTypes,
        IGrainStorage storage,
        ReminderRegistry reminders,
        TimeProvider time,
        IOptions<GrainRuntimeOptions> options,
        ILogger<GrainRuntime> logger)
    {
        var types = grainTypes.ToList();
        byInterface = types.ToFrozenDictionary(t => t.InterfaceType);
        byName = types.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        Services = services;
        Storage = storage;
        Reminders = reminders;
        Time = time;
        Options = options.Value;
        Logger = logger;
        CollectionAge = TimeSpan.FromMinutes(Options.CollectionAgeMinutes);
        CallTimeout = TimeSpan.FromMilliseconds(Options.CallTimeoutMs);
        metrics = new GrainRuntimeMetrics(time);
    }

    public IGrainRuntimeMetrics Metrics => metrics;

    /// <summary>Live activations in this silo.</summary>
    public int ActivationCount => directory.Count;

    internal IServiceProvider Services { get; }

    internal IGrainStorage Storage { get; }

    internal ReminderRegistry Reminders { get; }

    internal TimeProvider Time { get; }

    internal GrainRuntimeOptions Options { get; }

    internal ILogger Logger { get; }

    internal TimeSpan CollectionAge { get; }

    internal TimeSpan CallTimeout { get; }

    internal JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > Options.MaxGrainKeyLength)
        {
            throw new ArgumentException($"A grain key is at most {Options.MaxGrainKeyLength} characters.", nameof(key));
        }

        if (!byInterface.TryGetValue(typeof(TGrainInterface), out var type))
        {
            throw new InvalidOperationException($"No grain class is registered for {typeof(TGrainInterface).Name}.");
        }

        return (TGrainInterface)type.ProxyFactory(new GrainReference(this, type, key));
    }

    /// <summary>Whether a grain of this type and key is active in this silo now.</summary>
    public bool IsActive<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey =>
        byInterface.TryGetValue(typeof(TGrainInterface), out var type) && directory.ContainsKey(new GrainId(type.Name, key));

    internal GrainTypeCounters MetricsFor(GrainTypeInfo type) => metrics.For(type.Name);

    internal bool TryGetType(string name, out GrainTypeInfo type) => byName.TryGetValue(name, out type!);

    /// <summary>Places a work item in the activation of (type, key), activating it when needed.</summary>
    internal Task DispatchAsync(GrainTypeInfo type, string key, WorkItem item)
    {
        var id = new GrainId(type.Name, key);
        return TryPlace(type, id, item, out var leaving) ? Task.CompletedTask : PlaceAfterAsync(type, id, item, leaving!);
    }

    internal void Redispatch(GrainTypeInfo type, string key, WorkItem item)
    {
        _ = RedispatchAsync();

        async Task RedispatchAsync()
        {
            try
            {
                await DispatchAsync(type, key, item);
            }
            catch (Exception error)
            {
                item.Fail(error);
            }
        }
    }

    internal void RemoveActivation(GrainActivation activation) =>
        directory.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation));

    /// <summary>Asks every activation idle for longer than its age limit to deactivate; returns how many were asked.</summary>
    public int CollectIdleActivations()
    {
        var asked = 0;
        foreach (var activation in directory.Values)
        {
            if (activation.IsIdleFor(activation.Type.CollectionAge ?? CollectionAge))
            {
                activation.EnqueueControl(new DeactivateWorkItem(DeactivationReason.IdleCollection, onlyIfIdle: true));
                asked++;
            }
        }

        return asked;
    }

    /// <summary>Stops taking calls, lets accepted calls finish, deactivates everything and waits for the last writes.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        var all = directory.Values.ToList();
        foreach (var activation in all)
        {
            activation.EnqueueControl(new DeactivateWorkItem(DeactivationReason.SiloShutdown, onlyIfIdle: false));
        }

        var timeout = Task.Delay(TimeSpan.FromMilliseconds(Options.ShutdownTimeoutMs), cancellationToken);
        var done = await Task.WhenAny(Task.WhenAll(all.Select(a => a.Deactivated)), timeout);
        if (done == timeout)
        {
            var stuck = all.Where(a => !a.Deactivated.IsCompleted).ToList();
            RuntimeLog.ShutdownTimedOut(Logger, stuck.Count, Options.ShutdownTimeoutMs, string.Join("; ", stuck.Take(5).Select(a => a.Describe())));
        }
    }

    /// <summary>Drops every activation without running grain code: what a crash looks like to storage.</summary>
    public void Abort()
    {
        stopping = true;
        foreach (var activation in directory.Values)
        {
            activation.Abandon();
        }

        directory.Clear();
    }

    private bool TryPlace(GrainTypeInfo type, GrainId id, WorkItem item, out GrainActivation? leaving)
    {
        if (stopping)
        {
            throw new SiloUnavailableException($"Silo {Options.SiloName} is shutting down; call to {id} refused.");
        }

        var activation = directory.GetOrAdd(id, static (grainId, state) => new GrainActivation(state.Runtime, state.Type, grainId), (Runtime: this, Type: type));
        leaving = activation.TryEnqueue(item) ? null : activation;
        return leaving is null;
    }

    private async Task PlaceAfterAsync(GrainTypeInfo type, GrainId id, WorkItem item, GrainActivation leaving)
    {
        for (var attempt = 1; attempt < MaxPlacementAttempts; attempt++)
        {
            // Single activation: the next one starts only after the last one's final turn and writes.
            await leaving.Deactivated;
            if (TryPlace(type, id, item, out var next))
            {
                return;
            }

            leaving = next!;
        }

        throw new InvalidOperationException($"Could not place a call on {id} after {MaxPlacementAttempts} attempts.");
    }
}
