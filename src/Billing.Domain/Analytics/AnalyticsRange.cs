using System.Globalization;
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
}

/// <summary>Calendar months <see cref="From"/>..<see cref="To"/>, both included, at most <see cref="MaxMonths"/>.</summary>
public sealed record MonthRange(YearMonth From, YearMonth To)
{
    /// <summary>Three years of months: a chart's worth, and a bound on what one request computes.</summary>
    public const int MaxMonths = 36;

    private static readonly YearMonthPattern Pattern = YearMonthPattern.CreateWithInvariantCulture("uuuu'-'MM");

    public int Count => ((To.Year - From.Year) * 12) + To.Month - From.Month + 1;

    public IEnumerable<YearMonth> Months => Enumerable.Range(0, Count).Select(From.PlusMonths);

    public static string Text(YearMonth month) => Pattern.Format(month);

    /// <summary>Parses <c>YYYY-MM</c> bounds; null with the problem when either is missing or malformed, reversed or too long.</summary>
    public static MonthRange? TryParse(string? from, string? to, out RangeProblem? problem)
    {
        var first = Parse("from", from, out problem);
        var last = problem is null ? Parse("to", to, out problem) : default;
        if (problem is not null)
        {
            return null;
        }

        var range = new MonthRange(first, last);
        problem = first > last ? new RangeProblem(RangeProblem.RangeReversed, $"from ({Text(first)}) is after to ({Text(last)}).")
            : range.Count > MaxMonths ? new RangeProblem(RangeProblem.RangeTooLong, $"The range has {range.Count} months; ask for at most {MaxMonths}.")
            : null;
        return problem is null ? range : null;
    }

    private static YearMonth Parse(string name, string? text, out RangeProblem? problem)
    {
        var result = text is { Length: 7 } ? Pattern.Parse(text) : null;
        problem = result is { Success: true } ? null : new RangeProblem(RangeProblem.InvalidMonth, $"{name} must be a month as YYYY-MM (got '{ShownText.Clip(text ?? "", 16)}').");
        return result is { Success: true } ? result.Value : default;
    }
}

/// <summary>Calendar days <see cref="From"/>..<see cref="To"/>, both included, at most <see cref="MaxDays"/>.</summary>
public sealed record DayRange(LocalDate From, LocalDate To)
{
    /// <summary>A quarter of days: the bound on one usage request's scan.</summary>
    public const int MaxDays = 92;

    public int Count => Period.DaysBetween(From, To) + 1;

    /// <summary>Parses <c>YYYY-MM-DD</c> bounds; null with the problem when either is missing or malformed, reversed or too long.</summary>
    public static DayRange? TryParse(string? from, string? to, out RangeProblem? problem)
    {
        var first = Parse("from", from, out problem);
        var last = problem is null ? Parse("to", to, out problem) : default;
        if (problem is not null)
        {
            return null;
        }

        var range = new DayRange(first, last);
        problem = first > last ? new RangeProblem(RangeProblem.RangeReversed, $"from ({Text(first)}) is after to ({Text(last)}).")
            : range.Count > MaxDays ? new RangeProblem(RangeProblem.RangeTooLong, $"The range has {range.Count} days; ask for at most {MaxDays}.")
            : null;
        return problem is null ? range : null;
    }

    public static string Text(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static LocalDate Parse(string name, string? text, out RangeProblem? problem)
    {
        var result = text is { Length: 10 } ? LocalDatePattern.Iso.Parse(text) : null;
        problem = result is { Success: true } ? null : new RangeProblem(RangeProblem.InvalidDate, string.Create(CultureInfo.InvariantCulture, $"{name} must be a date as YYYY-MM-DD (got '{ShownText.Clip(text ?? "", 16)}')."));
        return result is { Success: true } ? result.Value : default;
    }
}
