using NodaTime;

namespace Billing.Domain.Tests.Periods;

public sealed class PeriodStandingTests
{
    private const string Zone = "Europe/Amsterdam";
    private static readonly LocalDate Due = new(2025, 7, 15);
    private static readonly Instant PaidAt = Instant.FromUtc(2025, 7, 10, 9, 30);

    /// <summary>Local noon in Amsterdam (CEST, +02:00) on the given day of July 2025.</summary>
    private static Instant JulyNoon(int day) => Instant.FromUtc(2025, 7, day, 10, 0);

    public static TheoryData<PeriodStatus, PeriodStatus, bool> EveryPair()
    {
        PeriodStatus[] statuses = [PeriodStatus.Pending, PeriodStatus.Paid, PeriodStatus.Overdue, PeriodStatus.Waived];
        (PeriodStatus, PeriodStatus)[] allowed =
        [
            (PeriodStatus.Pending, PeriodStatus.Paid), (PeriodStatus.Pending, PeriodStatus.Overdue), (PeriodStatus.Pending, PeriodStatus.Waived),
            (PeriodStatus.Overdue, PeriodStatus.Paid), (PeriodStatus.Overdue, PeriodStatus.Waived),
        ];
        var data = new TheoryData<PeriodStatus, PeriodStatus, bool>();
        foreach (var from in statuses)
        {
            foreach (var to in statuses)
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void TheTransitionTableAllowsExactlyTheFivePermittedMoves(PeriodStatus from, PeriodStatus to, bool allowed)
    {
        Assert.Equal(allowed, PeriodStatuses.IsAllowed(from, to));
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void EachOperationMovesOnlyAlongAllowedTransitions(PeriodStatus from, PeriodStatus to, bool allowed)
    {
        var standing = Invoiced(from);

        switch (to)
        {
            case PeriodStatus.Paid or PeriodStatus.Waived:
                Func<PeriodStanding> move = to == PeriodStatus.Paid ? () => standing.MarkPaid(PaidAt) : () => standing.Waive("Beta testing");
                if (allowed)
                {
                    Assert.Equal(to, move().Status);
                }
                else
                {
                    var error = Assert.Throws<InvalidPeriodTransitionException>(move);
                    Assert.Equal((from, to), (error.From, error.To));
                }

                break;
            case PeriodStatus.Overdue:
                var refreshed = standing.Refresh(JulyNoon(31));
                Assert.Equal(allowed || from == PeriodStatus.Overdue ? PeriodStatus.Overdue : from, refreshed.Status);
                break;
            default:
                // Nothing leads back to pending: invoicing again is refused from every status.
                Assert.False(allowed);
                Assert.Throws<InvalidPeriodTransitionException>(() => standing.MarkInvoiced(Due.PlusDays(30)));
                break;
        }
    }

    [Fact]
    public void AnOpenPeriodCannotBePaidOrWaivedOnlyInvoiced()
    {
        var open = PeriodStanding.Open(Zone);

        Assert.True(open.IsOpen);
        Assert.Equal(PeriodStatus.Pending, open.Status);
        Assert.Equal(
            "A billing period cannot go from pending to paid: the period is still open (not invoiced).",
            Assert.Throws<InvalidPeriodTransitionException>(() => open.MarkPaid(PaidAt)).Message);
        Assert.Throws<InvalidPeriodTransitionException>(() => open.Waive("Beta testing"));
        Assert.Same(open, open.Refresh(JulyNoon(31)));

        var invoiced = open.MarkInvoiced(Due);
        Assert.False(invoiced.IsOpen);
        Assert.Equal((PeriodStatus.Pending, (LocalDate?)Due), (invoiced.Status, invoiced.DueDate));
    }

    [Fact]
    public void FinalStatesSayWhichMoveWasRefusedAndWhy()
    {
        var paid = Invoiced(PeriodStatus.Paid);

        var error = Assert.Throws<InvalidPeriodTransitionException>(() => paid.Waive("Goodwill"));

        Assert.Equal("A billing period cannot go from paid to waived: paid is final.", error.Message);
        Assert.Equal("A billing period cannot go from waived to paid: waived is final.", Assert.Throws<InvalidPeriodTransitionException>(() => Invoiced(PeriodStatus.Waived).MarkPaid(PaidAt)).Message);
        Assert.Equal(
            "A billing period cannot go from pending to pending: it was already invoiced, due 2025-07-15.",
            Assert.Throws<InvalidPeriodTransitionException>(() => Invoiced(PeriodStatus.Pending).MarkInvoiced(Due)).Message);
    }

    [Fact]
    public void PendingStaysPendingThroughTheWholeDueDateAndIsOverdueTheNextLocalDay()
    {
        var pending = Invoiced(PeriodStatus.Pending);

        Assert.Same(pending, pending.Refresh(Instant.FromUtc(2025, 7, 15, 21, 59))); // 23:59 on the due date in Amsterdam
        var overdue = pending.Refresh(Instant.FromUtc(2025, 7, 15, 22, 0));          // 00:00 the day after

        Assert.Equal(PeriodStatus.Overdue, overdue.Status);
        Assert.Equal(1, overdue.DaysOverdue);
        Assert.Equal(16, overdue.Refresh(JulyNoon(31)).DaysOverdue);
    }

    [Fact]
    public void DaysOverdueAreCountedInTheCustomersZone()
    {
        var now = Instant.FromUtc(2025, 7, 15, 12, 30); // 16 July 00:30 in Auckland, still 15 July in London
        var auckland = PeriodStanding.Open("Pacific/Auckland").MarkInvoiced(Due);
        var london = PeriodStanding.Open("Europe/London").MarkInvoiced(Due);

        Assert.Equal((PeriodStatus.Overdue, 1), (auckland.Refresh(now).Status, auckland.Refresh(now).DaysOverdue));
        Assert.Equal(PeriodStatus.Pending, london.Refresh(now).Status);
    }

    [Fact]
    public void DaysOverdueNeverShrinkWhenAClockStepsBack()
    {
        var overdue = Invoiced(PeriodStatus.Pending).Refresh(JulyNoon(25));

        Assert.Same(overdue, overdue.Refresh(JulyNoon(20)));
        Assert.Equal(10, overdue.DaysOverdue);
    }

    [Fact]
    public void PayingOrWaivingAnOverduePeriodClearsItsDaysOverdue()
    {
        var overdue = Invoiced(PeriodStatus.Overdue);

        var paid = overdue.MarkPaid(PaidAt);
        var waived = overdue.Waive("  Beta testing  ");

        Assert.Equal((PeriodStatus.Paid, (Instant?)PaidAt, 0), (paid.Status, paid.PaidAt, paid.DaysOverdue));
        Assert.Equal((PeriodStatus.Waived, "Beta testing", 0), (waived.Status, waived.WaivedReason, waived.DaysOverdue));
        Assert.Equal(Due, waived.DueDate);
    }

    [Theory]
    [InlineData(null, "reason is required")]
    [InlineData("   ", "reason is required")]
    [InlineData("line\u0007bell", "reason must not contain control characters other than line breaks and tabs")]
    public void AWaiveNeedsAReason(string? reason, string expected)
    {
        Assert.Equal([new FieldError(PeriodStanding.WaiveReasonField, expected)], PeriodStanding.ValidateWaiveReason(reason));
        var error = Assert.Throws<CatalogValidationException>(() => Invoiced(PeriodStatus.Pending).Waive(reason!));
        Assert.Equal(expected, Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void AWaiveReasonIsBounded()
    {
        Assert.Empty(PeriodStanding.ValidateWaiveReason(new string('x', PeriodStanding.MaxWaiveReasonLength)));
        Assert.Equal(
            "reason must be at most 500 characters (got 501)",
            Assert.Single(PeriodStanding.ValidateWaiveReason(new string('x', PeriodStanding.MaxWaiveReasonLength + 1))).Message);
    }

    [Fact]
    public void RestoreRebuildsAStoredStanding()
    {
        var restored = PeriodStanding.Restore(PeriodStatus.Overdue, Zone, Due, null, null, 3);

        Assert.Equal(Invoiced(PeriodStatus.Pending).Refresh(JulyNoon(18)), restored);
        Assert.Equal(PeriodStanding.Open(Zone), PeriodStanding.Restore(PeriodStatus.Pending, Zone, null, null, null, 0));
    }

    [Theory]
    [InlineData(PeriodStatus.Paid, false, false, null, 0)]      // paid without a paid-at instant
    [InlineData(PeriodStatus.Pending, true, true, null, 0)]     // pending with a paid-at instant
    [InlineData(PeriodStatus.Waived, true, false, null, 0)]     // waived without a reason
    [InlineData(PeriodStatus.Pending, true, false, "why", 0)]   // a reason on a pending period
    [InlineData(PeriodStatus.Overdue, true, false, null, 0)]    // overdue by zero days
    [InlineData(PeriodStatus.Pending, true, false, null, 2)]    // days overdue while pending
    [InlineData(PeriodStatus.Overdue, false, false, null, 2)]   // overdue without a due date
    [InlineData((PeriodStatus)0, true, false, null, 0)]         // no status at all
    public void RestoreRefusesContradictoryValues(PeriodStatus status, bool hasDueDate, bool hasPaidAt, string? reason, int daysOverdue)
    {
        Assert.Throws<InvariantViolationException>(() =>
            PeriodStanding.Restore(status, Zone, hasDueDate ? Due : null, hasPaidAt ? PaidAt : null, reason, daysOverdue));
    }

    /// <summary>A standing invoiced with <see cref="Due"/> and brought to <paramref name="status"/> by the operations.</summary>
    private static PeriodStanding Invoiced(PeriodStatus status)
    {
        var pending = PeriodStanding.Open(Zone).MarkInvoiced(Due);
        return status switch
        {
            PeriodStatus.Pending => pending,
            PeriodStatus.Paid => pending.MarkPaid(PaidAt),
            PeriodStatus.Overdue => pending.Refresh(JulyNoon(20)),
            PeriodStatus.Waived => pending.Waive("Beta testing"),
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
    }
}
