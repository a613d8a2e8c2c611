namespace Billing.Cli.Generate;

/// <summary>What to generate for one month; <paramref name="Seed"/> makes the same request give the same data.</summary>
internal sealed record GenerateRequest(int Year, int Month, string Email, int MinPerDay, int MaxPerDay, PeriodStatus? Status, int Seed);

/// <summary>One generated API call: when (UTC), which endpoint, and the status code it answered.</summary>
internal readonly record struct PlannedRequest(DateTimeOffset OccurredAt, string Endpoint, int StatusCode)
{
    public bool Succeeded => StatusCode < 400;
}

internal sealed record DayPlan(DateOnly Day, IReadOnlyList<PlannedRequest> Requests);

/// <summary>A month's generated traffic and the status its period is to end with.</summary>
internal sealed record MonthPlan(int Year, int Month, PeriodStatus Status, bool IsCurrent, decimal SuccessRate, IReadOnlyList<DayPlan> Days)
{
    public string KeyName => PeriodRules.KeyName(Month);

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    public int Requests => Days.Sum(d => d.Requests.Count);

    public int Failures => Days.Sum(d => d.Requests.Count(r => !r.Succeeded));

    public decimal Cost => PeriodRules.Cost(Requests);
}

/// <summary>
/// Seed 000's traffic, from one seeded <see cref="Random"/>: each day between min and max requests at times spread over
/// the day (the current month up to now), 85–90 % of the month's requests succeeding, the rest answering realistic error
/// codes, across the product's endpoints (math, captcha, OCR, patterns).
/// </summary>
internal static class MonthPlanner
{
    public const decimal MinSuccessRate = 0.85m;
    public const decimal MaxSuccessRate = 0.90m;

    public static readonly string[] Endpoints = ["/v1/solve/math", "/v1/solve/captcha", "/v1/solve/ocr", "/v1/solve/pattern"];

    // Weighted like a public API's failures: mostly the caller's (bad input, throttling), some ours.
    private static readonly (int Code, int Weight)[] ErrorCodes = [(400, 25), (401, 5), (404, 5), (422, 20), (429, 20), (500, 15), (502, 5), (503, 5)];

    public static MonthPlan Plan(GenerateRequest request, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var random = new Random(request.Seed);
        var first = new DateOnly(request.Year, request.Month, 1);
        var current = PeriodRules.IsCurrent(request.Year, request.Month, today);
        var last = current ? today : first.AddMonths(1).AddDays(-1);
        var times = new List<List<DateTimeOffset>>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            // Today only up to a minute ago: the silo refuses usage dated after its clock.
            var seconds = day == today && current ? (int)Math.Max(0, (now - start).TotalSeconds - 60) : 86_400;
            var count = seconds == 0 ? 0 : random.Next(request.MinPerDay, request.MaxPerDay + 1);
            times.Add([.. Enumerable.Range(0, count).Select(_ => start.AddSeconds(random.Next(seconds))).Order()]);
        }

        var total = times.Sum(t => t.Count);
        var rate = MinSuccessRate + (decimal)random.NextDouble() * (MaxSuccessRate - MinSuccessRate);
        var failed = FailedPositions(random, total, Failures(total, rate));
        var days = new List<DayPlan>(times.Count);
        var position = 0;
        foreach (var dayTimes in times)
        {
            var requests = dayTimes.Select(at => new PlannedRequest(
                at, Endpoints[random.Next(Endpoints.Length)], failed.Contains(position++) ? ErrorCode(random) : 200)).ToList();
            days.Add(new DayPlan(first.AddDays(days.Count), requests));
        }

        return new MonthPlan(
            request.Year, request.Month, PeriodRules.StatusFor(request.Year, request.Month, request.Status, today), current, Math.Round(rate, 4), days);
    }

    /// <summary>Failures for <paramref name="total"/> requests at <paramref name="rate"/>, kept so the month's rate stays in 85–90 % whenever the total allows.</summary>
    public static int Failures(int total, decimal rate)
    {
        var wanted = (int)Math.Round(total * (1 - rate), MidpointRounding.AwayFromZero);
        var fewest = (int)Math.Ceiling(total * (1 - MaxSuccessRate));
        var most = (int)Math.Floor(total * (1 - MinSuccessRate));
        return fewest <= most ? Math.Clamp(wanted, fewest, most) : wanted;
    }

    private static HashSet<int> FailedPositions(Random random, int total, int failures)
    {
        // A partial Fisher–Yates shuffle: the first `failures` positions of a random order.
        var positions = Enumerable.Range(0, total).ToArray();
        for (var i = 0; i < failures; i++)
        {
            var j = random.Next(i, total);
            (positions[i], positions[j]) = (positions[j], positions[i]);
        }

        return [.. positions.Take(failures)];
    }

    private static int ErrorCode(Random random)
    {
        var pick = random.Next(ErrorCodes.Sum(e => e.Weight));
        foreach (var (code, weight) in ErrorCodes)
        {
            if (pick < weight)
            {
                return code;
            }

            pick -= weight;
        }

        throw new InvalidOperationException("The error-code weights do not cover the pick.");
    }
}
