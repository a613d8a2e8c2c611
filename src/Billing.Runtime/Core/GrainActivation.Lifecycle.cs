namespace Billing.Runtime.Core;

/// <summary>The mailbox loop: activate, run turns, deactivate, hand leftovers to the next activation.</summary>
internal sealed partial class GrainActivation
{
    private async Task RunAsync()
    {
        if (!await ActivateAsync())
        {
            return;
        }

        var reader = mailbox.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var item))
            {
                if (item is DeactivateWorkItem request)
                {
                    if (ShouldDeactivate(request))
                    {
                        await DeactivateAsync(requestedDeactivation ?? request.Reason);
                        return;
                    }

                    continue;
                }

                var turn = RunTurnAsync(item);
                if (turnsInFlight is null)
                {
                    await turn;
                }
                else
                {
                    TrackReentrantTurn(turn);
                }

                if (requestedDeactivation is { } reason)
                {
                    await DeactivateAsync(reason);
                    return;
                }
            }
        }
    }

    private async Task<bool> ActivateAsync()
    {
        try
        {
            var (instance, states) = Type.CreateInstance(Runtime.Services, Runtime.Storage, Id, Runtime.Json);
            instance.Activation = this;
            foreach (var state in states)
            {
                await state.ReadStateAsync(CancellationToken.None);
            }

            await instance.OnActivateAsync(CancellationToken.None);
            grain = instance;
            lock (gate)
            {
                status = status == ActivationStatus.Activating ? ActivationStatus.Valid : status;
            }

            counters.ActivationAdded();
            return true;
        }
        catch (Exception error)
        {
            RuntimeLog.ActivationFailed(Runtime.Logger, Id, error);
            Finish(error);
            return false;
        }
    }

    private async Task RunTurnAsync(WorkItem item)
    {
        var error = await item.RunAsync(grain!);
        if (item.IsCall)
        {
            var elapsed = Runtime.Time.GetElapsedTime(item.EnqueuedTimestamp);
            counters.CallCompleted((long)elapsed.TotalMicroseconds, error is not null);
            lock (gate)
            {
                queuedCalls--;
                lastActivityTimestamp = Runtime.Time.GetTimestamp();
            }
        }
        else if (error is not null)
        {
            RuntimeLog.TimerTickFailed(Runtime.Logger, Id, error);
        }

        // A stale write means this activation's state is no longer the stored one: reload on the next call.
        if (error is InconsistentStateException || error?.InnerException is InconsistentStateException)
        {
            RequestDeactivation(DeactivationReason.InconsistentState);
        }

        item.Publish();
    }

    private void TrackReentrantTurn(Task turn)
    {
        // Runs on the exclusive scheduler, as do the continuations below: the set needs no lock.
        turnsInFlight!.Add(turn);
        _ = turn.ContinueWith(
            static (done, state) => ((HashSet<Task>)state!).Remove(done),
            turnsInFlight,
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Current);
    }

    private bool ShouldDeactivate(DeactivateWorkItem request)
    {
        if (!request.OnlyIfIdle)
        {
            return true;
        }

        // A call may have arrived after the collector looked: then this activation stays.
        return IsIdleFor(Type.CollectionAge ?? Runtime.CollectionAge);
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        lock (gate)
        {
            status = ActivationStatus.Deactivating;
        }

        DisposeTimers();
        if (turnsInFlight is { Count: > 0 })
        {
            await Task.WhenAll([.. turnsInFlight]);
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(Runtime.Options.ShutdownTimeoutMs), Runtime.Time);
            await grain!.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception error)
        {
            RuntimeLog.DeactivationFailed(Runtime.Logger, Id, error);
        }

        counters.ActivationRemoved();
        Finish(null);
    }

    /// <summary>Leaves the directory, then fails (activation error) or forwards (deactivation) what is still queued.</summary>
    private void Finish(Exception? activationError)
    {
        lock (gate)
        {
            status = ActivationStatus.Invalid;
        }

        mailbox.Writer.TryComplete();
        Runtime.RemoveActivation(this);
        deactivated.TrySetResult();
        while (mailbox.Reader.TryRead(out var item))
        {
            if (!item.IsCall)
            {
                continue;
            }

            if (activationError is not null)
            {
                item.Fail(activationError);
            }
            else
            {
                Runtime.Redispatch(Type, Id.Key, item);
            }
        }
    }
}
