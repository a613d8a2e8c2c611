using System.Text.Json;
using Billing.Runtime.Storage;

namespace Billing.Runtime.Core;

/// <summary>Loads persistent states before activation without knowing their type.</summary>
internal interface IStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}

internal sealed class PersistentState<TState>(IGrainStorage storage, GrainId grain, string stateName, JsonSerializerOptions json)
    : IPersistentState<TState>, IStateLoader
    where TState : class, new()
{
    public TState State { get; set; } = new();

    public long Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(grain, stateName, cancellationToken);
        Etag = stored?.Version ?? 0;
        RecordExists = stored?.PayloadJson is not null;
        State = RecordExists ? Deserialize(stored!.PayloadJson!) : new TState();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.Serialize(State, json);
        Etag = await storage.WriteAsync(grain, stateName, payload, Etag, cancellationToken);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        Etag = await storage.ClearAsync(grain, stateName, Etag, cancellationToken);
        RecordExists = false;
        State = new TState();
    }

    private TState Deserialize(string payload) =>
        JsonSerializer.Deserialize<TState>(payload, json)
        ?? throw new InvalidOperationException($"State '{stateName}' of grain {grain} is stored as JSON null.");
}
