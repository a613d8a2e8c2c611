using System.Text.Json;
using Billing.Silo.Grains;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;

namespace Billing.Silo.Tests.Closing;

/// <summary>
/// A failed month-end close is retried after 1, 2, 4 … minutes. The count is the shop grain's
/// persistent state, so a restart between failures does not start the back-off over.
/// </summary>
public sealed class CloseBackoffTests
{
    // 23:00 local on 30 November in Amsterdam (UTC+1); November is due at 1 December 00:00 UTC (end + 1 h grace).
    private static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NovemberDue = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task CloseThatFailedTwiceBeforeARestartFailsAThirdTimeAndRetriesAfterFourMinutes(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        string shopId;
        DateTimeOffset secondRetryDue;
        DateTimeOffset stoppedAt;
        await using (var before = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd))
        {
            var customer = await BillingScenario.CustomerAsync(before, "Europe/Amsterdam");
            shopId = customer.ShopId;
            await BillingScenario.ConsumeAsync(before, customer.Key, 2);
            await BillingScenario.InjectCrashBeforeInvoiceInsertAsync(before, dialect, shopId);

            await BillingScenario.AdvanceAndTickAsync(before, NovemberDue);
            var first = await CloseAsync(before, shopId);
            var firstRetryDue = await BillingScenario.CloseReminderDueAsync(before, shopId);
            await BillingScenario.AdvanceAndTickAsync(before, firstRetryDue);
            var second = await CloseAsync(before, shopId);
            secondRetryDue = await BillingScenario.CloseReminderDueAsync(before, shopId);
            stoppedAt = before.Time.GetUtcNow();

            Assert.Equal((1, TimeSpan.FromMinutes(1)), (first.FailedAttempts, Whole(firstRetryDue - first.LastFailedAt)));
            Assert.Equal((2, TimeSpan.FromMinutes(2)), (second.FailedAttempts, Whole(secondRetryDue - second.LastFailedAt)));
            Assert.Contains("injected crash", second.LastFailure, StringComparison.Ordinal);
            Assert.Null(second.RecoveredAt);
        }

        await using var after = CatalogSilo.Start(database, configure: null, now: stoppedAt);
        var restarted = await CloseAsync(after, shopId);
        await BillingScenario.AdvanceAndTickAsync(after, secondRetryDue);
        var third = await CloseAsync(after, shopId);
        var thirdRetryDue = await BillingScenario.CloseReminderDueAsync(after, shopId);

        Assert.Equal(2, restarted.FailedAttempts);
        // In memory alone the count would have started over at 1, and the retry come after a minute.
        Assert.Equal((3, TimeSpan.FromMinutes(4)), (third.FailedAttempts, Whole(thirdRetryDue - third.LastFailedAt)));
        Assert.Equal(0, await BillingScenario.CountAsync(after, "SELECT COUNT(*) FROM invoices"));

        await BillingScenario.ExecuteAsync(after, "DELETE FROM injected_faults");
        await BillingScenario.AdvanceAndTickAsync(after, thirdRetryDue);
        var healed = await CloseAsync(after, shopId);

        Assert.Equal(["INV-2026-000001"], await BillingScenario.InvoiceNumbersAsync(after));
        Assert.Equal((0, third.LastFailure, third.LastFailedAt), (healed.FailedAttempts, healed.LastFailure, healed.LastFailedAt));
        Assert.Equal(BillingScenario.WholeSecond(thirdRetryDue), BillingScenario.WholeSecond(healed.RecoveredAt!.Value));
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), BillingScenario.WholeSecond(await BillingScenario.CloseReminderDueAsync(after, shopId)));
    }

    /// <summary>The bookkeeping as an operator reads it: <c>close</c> in <c>GET /api/v1/admin/shops/{id}/billing</c>.</summary>
    private static async Task<CloseView> CloseAsync(CatalogSilo silo, string shopId)
    {
        var close = (await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/billing")).GetProperty("close");
        return new CloseView(
            close.GetProperty("failed_attempts").GetInt32(),
            close.GetProperty("last_failure").GetString(),
            Instant(close.GetProperty("last_failed_at")),
            Instant(close.GetProperty("recovered_at")));
    }

    private static DateTimeOffset? Instant(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDateTimeOffset();

    // The test clock moves a millisecond at a time while a tick is delivered; whole seconds are what the back-off sets.
    private static TimeSpan Whole(TimeSpan? span) => TimeSpan.FromSeconds(Math.Floor(span!.Value.TotalSeconds));

    private sealed record CloseView(int FailedAttempts, string? LastFailure, DateTimeOffset? LastFailedAt, DateTimeOffset? RecoveredAt);
}
