using NodaTime;
using NodaTime.Text;

namespace Billing.Domain;

/// <summary>Why an analytics range was refused: a stable code for the API and a sentence for the client.</summary>
public sealed record RangeProblem(string Code, string Detail)
{
    public const string InvalidMonth = "invalid_month";
    public const string InvalidDate = "invalid_date";
    public const string RangeReversed = "range_reversed";
    public const string RangeTooLong = "range_too_long";

    /// <summary>
    /// Both bounds parsed by <paramref name="pattern"/> (exactly <paramref name="format"/>'s length),
    /// in order, and at most <paramref name="max"/> <paramref name="unit"/> apart counting both; else the problem.
    /// </summary>
    internal static (T First, T Last)? Check<T>(
        string? from, string? to, IPattern<T> pattern, string format, string invalidCode, string unit, Func<T, T, int> count, int max, out RangeProblem? problem)
        where T : IComparable<T>
    {
        var parsed = new[] { ("from", from), ("to", to) }.Select(bound =>
            (bound.Item1, bound.Item2, Result: bound.Item2?.Length == format.Length ? pattern.Parse(bound.Item2) : null)).ToList();
        if (parsed.FirstOrDefault(p => p.Result is not { Success: true }) is { Item1: not null } bad)
        {
            problem = new RangeProblem(invalidCode, $"{bad.Item1} must be a {unit} as {format} (got '{ShownText.Clip(bad.Item2 ?? "", 16)}').");
            return null;
        }

        var (first, last) = (parsed[0].Result!.Value, parsed[1].Result!.Value);
        problem = first.CompareTo(last) > 0 ? new RangeProblem(RangeReversed, $"from ({pattern.Format(first)}) is after to ({pattern.Format(last)}).")
            : count(first, last) > max ? new RangeProblem(RangeTooLong, $"The range has {count(first, last)} {unit}s; ask for at most {max}.")
            : null;
        return problem is null ? (first, last) : null;
    }
}

/// <summary>Calendar months <see cref="From"/>..<see cref="To"/>, both included, at most <see cref="MaxMonths"/>.</summary>
public sealed record MonthRange(YearMonth From, YearMonth To)
{
    /// <summary>Three years of months: a chart's worth, and a bound on what one request computes.</summary>
    public const int MaxMonths = 36;

    private static readonly YearMonthPattern Pattern = YearMonthPattern.CreateWithInvariantCulture("uuuu'-'MM");

    public int Count => Between(From, To);

    public IEnumerable<YearMonth> Months => Enumerable.Range(0, Count).Select(From.PlusMonths);

    public static string Text(YearMonth month) => Pattern.Format(month);

    /// <summary>Parses <c>YYYY-MM</c> bounds; null with the problem when either is missing or malformed, reversed or too long.</summary>
    public static MonthRange? TryParse(string? from, string? to, out RangeProblem? problem) =>
        RangeProblem.Check(from, to, Pattern, "YYYY-MM", RangeProblem.InvalidMonth, "month", Between, MaxMonths, out problem) is { } range
            ? new MonthRange(range.First, range.Last)
            : null;

    private static int Between(YearMonth first, YearMonth last) => ((last.Year - first.Year) * 12) + last.Month - first.Month + 1;
}

/// <summary>Calendar days <see cref="From"/>..<see cref="To"/>, both included, at most <see cref="MaxDays"/>.</summary>
public sealed record DayRange(LocalDate From, LocalDate To)
{
    /// <summary>A quarter of days: the bound on one usage request's scan.</summary>
    public const int MaxDays = 92;

    public int Count => Between(From, To);

    public static string Text(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>Parses <c>YYYY-MM-DD</c> bounds; null with the problem when either is missing or malformed, reversed or too long.</summary>
    public static DayRange? TryParse(string? from, string? to, out RangeProblem? problem) =>
        RangeProblem.Check(from, to, LocalDatePattern.Iso, "YYYY-MM-DD", RangeProblem.InvalidDate, "day", Between, MaxDays, out problem) is { } range
            ? new DayRange(range.First, range.Last)
            : null;

    private static int Between(LocalDate first, LocalDate last) => Period.DaysBetween(first, last) + 1;
}
