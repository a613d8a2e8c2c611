namespace Billing.Silo.TestClocks;

/// <summary>What one test clock may hold and how far one advance may go (section <c>Billing:TestClocks</c>).</summary>
public sealed class TestClockOptions
{
    public const string SectionName = "Billing:TestClocks";
    public const int MaxMaxAdvanceDays = 3_660;
    public const int MaxMaxEventsPerAdvance = 100_000;
    public const int MaxMaxCustomersPerClock = 1_000;

    /// <summary>How far one advance may move a clock: five years (with their leap days) by default.</summary>
    public int MaxAdvanceDays { get; set; } = 1_827;

    /// <summary>Period closes one advance may run; an advance that could need more is refused before it starts.</summary>
    public int MaxEventsPerAdvance { get; set; } = 10_000;

    /// <summary>Customers one clock may hold.</summary>
    public int MaxCustomersPerClock { get; set; } = 100;

    public IEnumerable<string> Validate()
    {
        if (MaxAdvanceDays is < 1 or > MaxMaxAdvanceDays)
        {
            yield return $"{SectionName}:MaxAdvanceDays must be 1..{MaxMaxAdvanceDays} (got {MaxAdvanceDays}).";
        }

        if (MaxEventsPerAdvance is < 1 or > MaxMaxEventsPerAdvance)
        {
            yield return $"{SectionName}:MaxEventsPerAdvance must be 1..{MaxMaxEventsPerAdvance} (got {MaxEventsPerAdvance}).";
        }

        if (MaxCustomersPerClock is < 1 or > MaxMaxCustomersPerClock)
        {
            yield return $"{SectionName}:MaxCustomersPerClock must be 1..{MaxMaxCustomersPerClock} (got {MaxCustomersPerClock}).";
        }
    }
}
