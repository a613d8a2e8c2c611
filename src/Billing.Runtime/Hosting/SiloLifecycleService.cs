using Billing.Runtime.Core;
using Billing.Runtime.Reminders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Runtime.Hosting;

/// <summary>
/// Starts the silo after the schema is current (reminders, idle collection) and stops it
/// gracefully: no new calls, reminders drained, every activation deactivated and its last writes
/// awaited.
/// </summary>
internal sealed class SiloLifecycleService(
    StorageInitializer storage,
    GrainRuntime runtime,
    ReminderService reminders,
    TimeProvider time,
    IOptions<GrainRuntimeOptions> options,
    ILogger<SiloLifecycleService> logger) : IHostedService, IAsyncDisposable
{
    private ITimer? collector;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await storage.EnsureInitializedAsync();
        reminders.Start();
        var quantum = TimeSpan.FromMilliseconds(options.Value.CollectionQuantumMs);
        collector = time.CreateTimer(static state => ((SiloLifecycleService)state!).Collect(), this, quantum, quantum);
        RuntimeLog.SiloStarted(logger, options.Value.SiloName, storage.Description, applied);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (collector is not null)
        {
            await collector.DisposeAsync();
        }

        await reminders.StopAsync();
        var activations = runtime.ActivationCount;
        await runtime.ShutdownAsync(cancellationToken);
        RuntimeLog.SiloStopped(logger, options.Value.SiloName, activations);
    }

    public async ValueTask DisposeAsync()
    {
        if (collector is not null)
        {
            await collector.DisposeAsync();
        }
    }

    private void Collect()
    {
        try
        {
            runtime.CollectIdleActivations();
        }
        catch (Exception error)
        {
            RuntimeLog.IdleCollectionFailed(logger, error);
        }
    }
}
