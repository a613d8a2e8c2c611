using System.Threading.Channels;
using Billing.Runtime.Metrics;

namespace Billing.Runtime.Core;

internal enum ActivationStatus
{
    Activating,
    Valid,
    Deactivating,
    Invalid,
}

/// <summary>
/// One live grain: its instance, its mailbox and its lifecycle. A single loop reads the mailbox;
/// a non-reentrant grain finishes each turn before the next starts, a reentrant one interleaves
/// turns at their awaits on an exclusive scheduler (never two threads in grain code at once).
/// </summary>
internal sealed partial class GrainActivation
{
    private readonly object gate = new();
    private readonly Channel<WorkItem> mailbox = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<GrainTimer> timers = [];
    private readonly HashSet<Task>? turnsInFlight;
    private readonly GrainTypeCounters counters;
    private ActivationStatus status;
    private int queuedCalls;
    private long lastActivityTimestamp;
    private int started;
    private DeactivationReason? requestedDeactivation;
    private Grain? grain;

    public GrainActivation(GrainRuntime runtime, GrainTypeInfo type, GrainId id)
    {
        Runtime = runtime;
        Type = type;
        Id = id;
        counters = runtime.MetricsFor(type);
        turnsInFlight = type.IsReentrant ? [] : null;
        lastActivityTimestamp = runtime.Time.GetTimestamp();
    }

    public GrainRuntime Runtime { get; }

    public GrainTypeInfo Type { get; }

    public GrainId Id { get; }

    /// <summary>Completes when the activation has run its last turn, its OnDeactivateAsync, and left the directory.</summary>
    public Task Deactivated => deactivated.Task;

    /// <summary>Accepts a work item unless the activation is going away (then the caller retries on a new one).</summary>
    public bool TryEnqueue(WorkItem item)
    {
        item.EnqueuedTimestamp = Runtime.Time.GetTimestamp();
        lock (gate)
        {
            if (status >= ActivationStatus.Deactivating)
            {
                return false;
            }

            if (item.IsCall)
            {
                if (queuedCalls >= Runtime.Options.MaxQueuedCallsPerActivation)
                {
                    throw new GrainOverloadedException(Id, Runtime.Options.MaxQueuedCallsPerActivation);
                }

                queuedCalls++;
                lastActivityTimestamp = item.EnqueuedTimestamp;
            }

            mailbox.Writer.TryWrite(item);
        }

        if (Volatile.Read(ref started) == 0 && Interlocked.Exchange(ref started, 1) == 0)
        {
            var scheduler = Type.IsReentrant ? new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler : TaskScheduler.Default;
            _ = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler).Unwrap();
        }

        return true;
    }

    /// <summary>For diagnostics: where this activation is in its life and what it holds.</summary>
    public string Describe()
    {
        lock (gate)
        {
            return $"{Id} {status}, {queuedCalls} call(s) queued or running, {turnsInFlight?.Count ?? 0} reentrant turn(s) in flight, started={started == 1}";
        }
    }

    /// <summary>True when no call is queued or running and the last one ended at least <paramref name="age"/> ago.</summary>
    public bool IsIdleFor(TimeSpan age)
    {
        lock (gate)
        {
            return status == ActivationStatus.Valid && queuedCalls == 0 && Runtime.Time.GetElapsedTime(lastActivityTimestamp) >= age;
        }
    }

    /// <summary>Asks for deactivation after the current turn; queued calls move to the next activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        requestedDeactivation ??= reason;
        EnqueueControl(new DeactivateWorkItem(reason, onlyIfIdle: false));
    }

    /// <summary>Queues a deactivation request behind the calls already accepted.</summary>
    public void EnqueueControl(DeactivateWorkItem request)
    {
        lock (gate)
        {
            if (status < ActivationStatus.Deactivating)
            {
                request.EnqueuedTimestamp = Runtime.Time.GetTimestamp();
                mailbox.Writer.TryWrite(request);
            }
        }
    }

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, Runtime.Time, callback, dueTime, period);
        lock (gate)
        {
            timers.Add(timer);
        }

        return timer;
    }

    public void ForgetTimer(GrainTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    /// <summary>Drops the activation without running grain code (a simulated crash).</summary>
    public void Abandon()
    {
        lock (gate)
        {
            status = ActivationStatus.Invalid;
        }

        DisposeTimers();
        mailbox.Writer.TryComplete();
        var abandoned = new SiloUnavailableException($"Silo {Runtime.Options.SiloName} was stopped abruptly.");
        while (mailbox.Reader.TryRead(out var item))
        {
            item.Fail(abandoned);
        }

        deactivated.TrySetResult();
    }

    private void DisposeTimers()
    {
        GrainTimer[] snapshot;
        lock (gate)
        {
            snapshot = [.. timers];
        }

        foreach (var timer in snapshot)
        {
            timer.Dispose();
        }
    }
}
