using Billing.Domain.Payments;
using NodaTime;

namespace Billing.Domain.Tests.Payments;

public sealed class DunningScheduleTests
{
    private static readonly Instant FirstFailure = Instant.FromUtc(2026, 3, 27, 9, 30);

    [Theory]
    [InlineData(1, 1, 2026, 3, 28)]
    [InlineData(2, 2, 2026, 3, 30)]
    [InlineData(3, 3, 2026, 4, 1)]
    [InlineData(4, 4, 2026, 4, 3)]
    public void The_default_schedule_retries_on_days_1_3_5_and_7(int failedAttempts, int retryNumber, int year, int month, int day)
    {
        var decision = DunningSchedule.Default.Next(FirstFailure, failedAttempts);

        Assert.False(decision.Suspends);
        Assert.Equal(retryNumber, decision.RetryNumber);
        Assert.Equal(Instant.FromUtc(year, month, day, 9, 30), decision.DueAt);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(100)]
    public void After_the_last_retry_fails_the_customer_is_suspended(int failedAttempts)
    {
        var decision = DunningSchedule.Default.Next(FirstFailure, failedAttempts);

        Assert.True(decision.Suspends);
        Assert.Equal(DunningDecision.Suspend, decision);
        Assert.Null(decision.DueAt);
        Assert.Equal(0, decision.RetryNumber);
        Assert.Equal("suspend", decision.ToString());
    }

    [Fact]
    public void Days_are_24_hour_spans_so_a_DST_change_in_between_shifts_nothing()
    {
        // 29 March 2026 is the EU switch to summer time; the retry is still 48 hours later.
        var schedule = DunningSchedule.Create([2]);

        var decision = schedule.Next(Instant.FromUtc(2026, 3, 28, 23, 0), 1);

        Assert.Equal(Instant.FromUtc(2026, 3, 30, 23, 0), decision.DueAt);
        Assert.Equal("retry 1 at 2026-03-30T23:00:00Z", decision.ToString());
    }

    [Fact]
    public void A_single_retry_schedule_suspends_after_the_second_failure()
    {
        var schedule = DunningSchedule.Create([90]);

        Assert.Equal(FirstFailure + Duration.FromDays(90), schedule.Next(FirstFailure, 1).DueAt);
        Assert.True(schedule.Next(FirstFailure, 2).Suspends);
    }

    [Fact]
    public void At_least_one_failed_attempt_is_needed_to_ask_what_follows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DunningSchedule.Default.Next(FirstFailure, 0));
    }

    [Fact]
    public void Ten_retries_is_the_most_a_schedule_holds()
    {
        var schedule = DunningSchedule.Create([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        Assert.Equal(10, schedule.RetryDays.Count);
        Assert.Equal(FirstFailure + Duration.FromDays(10), schedule.Next(FirstFailure, 10).DueAt);
        Assert.True(schedule.Next(FirstFailure, 11).Suspends);
        Assert.Equal("retry on days 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, then suspend", schedule.ToString());
    }

    [Theory]
    [InlineData(new int[0], "retry_days must list at least one day")]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, "retry_days may list at most 10 days (got 11)")]
    [InlineData(new[] { 0, 3 }, "retry_days must be days 1 to 90 after the failure (entry 1 is 0)")]
    [InlineData(new[] { 1, 91 }, "retry_days must be days 1 to 90 after the failure (entry 2 is 91)")]
    [InlineData(new[] { -1 }, "retry_days must be days 1 to 90 after the failure (entry 1 is -1)")]
    [InlineData(new[] { 1, 3, 3 }, "retry_days must be strictly ascending (entry 3, 3, does not come after 3)")]
    [InlineData(new[] { 5, 3 }, "retry_days must be strictly ascending (entry 2, 3, does not come after 5)")]
    public void Invalid_retry_days_are_rejected_with_a_reason(int[] retryDays, string expected)
    {
        Assert.False(DunningSchedule.TryCreate(retryDays, out var schedule, out var reason));

        Assert.Null(schedule);
        Assert.Equal(expected, reason);
        Assert.StartsWith(expected, Assert.Throws<ArgumentException>(() => DunningSchedule.Create(retryDays)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_retry_days_are_rejected()
    {
        Assert.False(DunningSchedule.TryCreate(null, out _, out var reason));
        Assert.Equal("retry_days must list at least one day", reason);
    }

    [Fact]
    public void A_schedule_keeps_its_own_copy_of_the_days()
    {
        var days = new List<int> { 1, 3 };
        var schedule = DunningSchedule.Create(days);

        days[1] = 2;

        Assert.Equal([1, 3], schedule.RetryDays);
        Assert.IsNotType<int[]>(schedule.RetryDays);
    }

    [Fact]
    public void A_retry_is_numbered_from_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DunningDecision.RetryAt(0, FirstFailure));
    }
}
