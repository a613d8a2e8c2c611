using Billing.Silo.Metering;
using Billing.Domain;
using Orleans.Concurrency;
using Billing.Silo.Alerts;
using Billing.Silo.Metering.Journal;
using Billing.Silo.Telemetry;
using Billing.Silo.TestClocks;
using NodaTime;

namespace Billing.Silo.Grains;

/// <summary>
/// One customer's prepaid balance. Reentrant on purpose: a call decides and deducts in memory
/// before its first await, then waits for the journal to make it durable while the next call
/// proceeds, so one customer's calls share group commits instead of queueing behind each fsync.
/// If a write fails, the grain refuses further calls and deactivates; the next activation reloads
/// the durable balance.
/// </summary>
[Reentrant]
[GrainType("subscription")]
public sealed partial class SubscriptionGrain(
    UsageJournal journal,
    MeteringStore store,
    AccountSuspensions suspensions,
    TokenAlerts tokenAlerts,
    BillingMetrics metrics,
    CustomerClocks clocks,
    TimeProvider time,
    ILogger<SubscriptionGrain> logger)
    : Grain, ISubscriptionGrain
{
    private const int IdempotencyWindowSize = 10_000;
    private const int MaxBatchSize = 1_000;

    // The consumes counter's tag per outcome, without a string per call.
    private static readonly string[] OutcomeNames = Enum.GetNames<ConsumeOutcome>().Select(n => n.ToLowerInvariant()).ToArray();

    private readonly IdempotencyWindow recentKeys = new(IdempotencyWindowSize);
    private Subscription subscription = null!;
    private TokenAlertWatch tokenWatch;
    // The write this activation lost: it refuses every call until the next activation has reloaded.
    private JournalWriteException? lostWrite;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var customerId = this.GetPrimaryKeyString();
        SubscriptionLoad load;
        try
        {
            load = await store.LoadActivationAsync(customerId, cancellationToken);
        }
        catch (System.Data.Common.DbException error)
        {
            // The call filter (StorageFailureFilter) does not see activation: a load that fails in an
            // outage reaches the callers waiting for it, on any silo, as the same exception a grain call
            // would throw (503 storage_unavailable), not as a driver exception Orleans cannot serialize.
            throw StorageFailureFilter.Crossing(error);
        }

        // A customer on a test clock lives in the clock's time: every stamp below comes from it.
        time = clocks.Of(load.TestClock?.Id, load.TestClock?.FrozenAtMs ?? 0);
        subscription = load.Subscription ?? Subscription.None(customerId);
        journal.Reset(customerId);
        tokenWatch = tokenAlerts.Resume(subscription, load.LatestGrant, Instant.FromDateTimeOffset(time.GetUtcNow()));
        suspendingInvoices = load.Suspensions;
    }

    public Task MoveClockAsync(string clockId, long atMs)
    {
        clocks.Move(clockId, atMs);
        return Task.CompletedTask;
    }

    public async Task<ConsumeResult> ConsumeAsync(ConsumeCommand command)
    {
        var accepted = new List<UsageRecord>(1);
        var result = await ConsumeOneAsync(command, accepted);
        TellShops(accepted);
        metrics.Consumed(OutcomeNames[(int)result.Outcome]);
        return result;
    }

    private Task<ConsumeResult> ConsumeOneAsync(ConsumeCommand command, List<UsageRecord> accepted) =>
        command.IdempotencyKey is null ? ConsumeNowAsync(command, accepted) : ConsumeOnceAsync(command, command.IdempotencyKey, accepted);

    public Task<SubscriptionView> GrantAsync(PlanGrant plan) => GrantAsync(plan, Guid.CreateVersion7(time.GetUtcNow()));

    /// <summary>Grants <paramref name="plan"/>, or renews the period ending at <paramref name="renews"/> (its next one runs from that end).</summary>
    private async Task<SubscriptionView> GrantAsync(PlanGrant plan, Guid grantId, Instant? renews = null)
    {
        EnsureUsable();
        var now = time.GetUtcNow();
        var instant = Instant.FromDateTimeOffset(now);
        var next = renews is { } periodEnd ? subscription.Renew(plan, periodEnd, instant) : subscription.Grant(plan, instant);
        var grant = new GrantRecord(
            grantId, next.CustomerId, plan.PlanId, next.Sequence, plan.Tokens.Value, now.ToUnixTimeMilliseconds(),
            next.StartedAt!.Value.ToUnixTimeMilliseconds(), next.EndsAt?.ToUnixTimeMilliseconds(), MoneyNanos.FromMoney(plan.PricePerToken), plan.Price.Currency.Code);
        tokenWatch = tokenAlerts.Start(next); // before the await: consumes after the grant count against it
        await CommitAsync(next, new JournalEntry(Balance(next, now), grant: grant));
        return View(next);
    }

    public Task<SubscriptionView> GetAsync() => Task.FromResult(View(subscription));

    private async Task<ConsumeResult> ConsumeOnceAsync(ConsumeCommand command, string key, List<UsageRecord> accepted)
    {
        if (recentKeys.TryGet(command.ShopId, key, out var earlier))
        {
            var first = await earlier.Outcome;
            return earlier.RequestHash != command.RequestHash ? Reused()
                : first.IsAccepted ? first with { Outcome = ConsumeOutcome.Replayed }
                : first;
        }

        var answer = recentKeys.Begin(command.ShopId, key, command.RequestHash);
        try
        {
            var result = await DecideOnceAsync(command, key, answer, accepted);
            if (!result.IsAccepted && result.Outcome != ConsumeOutcome.IdempotencyKeyReused)
            {
                recentKeys.Forget(command.ShopId, key, answer);
            }

            answer.Complete(result);
            return result;
        }
        catch (Exception error)
        {
            recentKeys.Forget(command.ShopId, key, answer);
            answer.Fail(error);
            throw;
        }
    }

    private async Task<ConsumeResult> DecideOnceAsync(ConsumeCommand command, string key, IdempotencyWindow.Answer answer, List<UsageRecord> accepted)
    {
        var stored = await store.FindByIdempotencyKeyAsync(command.ShopId, key, CancellationToken.None);
        if (stored is null)
        {
            return await ConsumeNowAsync(command, accepted);
        }

        answer.RequestHash = stored.RequestHash;
        return stored.RequestHash != command.RequestHash
            ? Reused()
            : new ConsumeResult(ConsumeOutcome.Replayed, stored.RemainingAfter, stored.Tokens, stored.UsageId);
    }

    private async Task<ConsumeResult> ConsumeNowAsync(ConsumeCommand command, List<UsageRecord> accepted)
    {
        EnsureUsable();
        var now = time.GetUtcNow();
        var next = subscription;
        var result = Deduct(command, ref next, now, out var usage);
        if (usage is null)
        {
            return result;
        }

        await CommitAsync(next, new JournalEntry(Balance(next, now), usage: usage));
        accepted.Add(usage);
        WatchTokens(usage, now);
        return result;
    }

    /// <summary>
    /// Decides one consume against <paramref name="state"/>: refused (nothing deducted, no usage) or
    /// accepted (the state moves on and the usage event is made). Nothing is durable yet.
    /// </summary>
    private ConsumeResult Deduct(ConsumeCommand command, ref Subscription state, DateTimeOffset now, out UsageRecord? usage)
    {
        if (suspendingInvoices > 0)
        {
            usage = null;
            return new ConsumeResult(ConsumeOutcome.AccountSuspended, state.Ledger.Remaining.Value, 0, null);
        }

        var instant = Instant.FromDateTimeOffset(now);
        var decision = state.Decide(command.Tokens, instant);
        if (decision != ConsumeDecision.Accepted)
        {
            usage = null;
            return Refused(decision, state);
        }

        state = state.Consume(command.Tokens, instant);
        usage = Usage(command, state, now);
        return new ConsumeResult(ConsumeOutcome.Accepted, usage.RemainingAfter, usage.Tokens, usage.UsageId);
    }

    /// <summary>After a durable consume: a token threshold it crossed raises its alert (one comparison when none did).</summary>
    private void WatchTokens(UsageRecord last, DateTimeOffset now)
    {
        if (tokenWatch.IsDue(last.Sequence, last.RemainingAfter))
        {
            tokenWatch = tokenAlerts.Raise(tokenWatch, last.CustomerId, last.RemainingAfter, Instant.FromDateTimeOffset(now));
        }
    }

    /// <summary>
    /// The shops' totals follow durable events without holding up the answer, one notice per shop
    /// per call (a batch of a thousand events is one notice); a lost notice only delays the totals
    /// until the shop grain next activates and aggregates from storage.
    /// </summary>
    private void TellShops(List<UsageRecord> accepted)
    {
        if (accepted.Count == 0)
        {
            return;
        }

        // Every call from the API is one key's, so one shop's: no grouping needed then.
        if (IsOneShop(accepted))
        {
            TellShop(accepted[0].ShopId, accepted);
            return;
        }

        foreach (var shop in accepted.GroupBy(u => u.ShopId, StringComparer.Ordinal))
        {
            TellShop(shop.Key, [.. shop]);
        }
    }

    private static bool IsOneShop(List<UsageRecord> usage)
    {
        for (var i = 1; i < usage.Count; i++)
        {
            if (!string.Equals(usage[i].ShopId, usage[0].ShopId, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void TellShop(string shopId, IReadOnlyList<UsageRecord> usage) =>
        _ = GrainFactory.Shop(shopId).RecordAsync(usage).ContinueWith(
            static (told, state) => LogShopNoticeFailed((ILogger)state!, told.Exception!.GetBaseException().Message),
            logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>Makes the new state visible to the next call at once, and the caller waits until it is durable.</summary>
    private async Task CommitAsync(Subscription next, JournalEntry entry)
    {
        subscription = next;
        using var durable = BillingTelemetry.Source.StartActivity("journal.append");
        try
        {
            await journal.AppendAsync(entry);
        }
        catch (JournalWriteException error)
        {
            // Also how a split brain ends for the loser: another activation of this customer moved
            // its ledger first, so this balance is stale; the next activation loads the winner's.
            lostWrite = error;
            LogReloading(logger, next.CustomerId, error.Message);
            DeactivateOnIdle();
            throw;
        }
    }

    private void EnsureUsable()
    {
        if (lostWrite is { } lost)
        {
            // For the same reason as the lost write: in a database outage every refusal is storage_unavailable.
            throw new JournalWriteException($"The balance of {subscription.CustomerId} is being reloaded after a failed write; retry.", lost.DatabaseUnavailable);
        }
    }

    private UsageRecord Usage(ConsumeCommand command, Subscription next, DateTimeOffset now)
    {
        var cost = next.CostOf(command.Tokens, Currency.EUR);
        return new UsageRecord(
            Guid.CreateVersion7(now), next.CustomerId, command.ShopId, command.KeyId, next.Sequence, command.Tokens.Value,
            MoneyNanos.FromMoney(cost), cost.Currency.Code, command.Description, command.Endpoint, command.Method, command.StatusCode,
            command.OccurredAtMs ?? now.ToUnixTimeMilliseconds(), command.IdempotencyKey, command.RequestHash, next.Ledger.Remaining.Value);
    }

    /// <summary>A consume refused with nothing deducted: the answer carries the balance it was refused on.</summary>
    private static ConsumeResult Refused(ConsumeDecision decision, Subscription state) => new(
        decision == ConsumeDecision.InsufficientTokens ? ConsumeOutcome.InsufficientTokens : ConsumeOutcome.NoActiveSubscription,
        state.Ledger.Remaining.Value, 0, null);

    private ConsumeResult Reused() => new(ConsumeOutcome.IdempotencyKeyReused, subscription.Ledger.Remaining.Value, 0, null);

    private static BalanceRecord Balance(Subscription s, DateTimeOffset now) => new(
        s.CustomerId, s.PlanId, s.Sequence, s.Ledger.Granted.Value, s.Ledger.Remaining.Value, s.Ledger.Consumed.Value,
        s.StartedAt?.ToUnixTimeMilliseconds(), s.EndsAt?.ToUnixTimeMilliseconds(), s.IsActive,
        s.PricePerToken is { } price ? MoneyNanos.FromMoney(price) : null, s.PricePerToken?.Currency.Code, now.ToUnixTimeMilliseconds());

    private SubscriptionView View(Subscription s) => new(
        s.CustomerId, s.PlanId, s.Ledger.Granted.Value, s.Ledger.Remaining.Value, s.Ledger.Consumed.Value,
        s.StartedAt?.ToDateTimeOffset(), s.EndsAt?.ToDateTimeOffset(), s.IsActiveAt(Instant.FromDateTimeOffset(time.GetUtcNow())), suspendingInvoices > 0);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "A usage notice to a shop grain failed ({Reason}); its totals catch up on its next activation")]
    private static partial void LogShopNoticeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Subscription {CustomerId} lost a journal write ({Reason}); reloading its balance")]
    private static partial void LogReloading(ILogger logger, string customerId, string reason);
}
