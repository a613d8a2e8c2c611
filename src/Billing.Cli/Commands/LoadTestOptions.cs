using System.CommandLine;
using Billing.Cli.LoadTest;

namespace Billing.Cli.Commands;

/// <summary>The options of <c>billing loadtest</c>, with their ranges, and their reading into <see cref="LoadTestSettings"/>.</summary>
internal sealed class LoadTestOptions(Func<string, string?> environment)
{
    public const long DefaultTokensPerCustomer = 1_000_000_000;
    // 10^12 per customer keeps the sums over 100,000 customers far from overflowing a long.
    public const long MaxTokensPerCustomer = 1_000_000_000_000;
    public const long MaxRequestsCeiling = 1_000_000_000;

    public AdminKeyOption AdminKey { get; } = new(environment);

    public Option<int> Shops { get; } = RangedOption.Create(
        "--shops", "Shops to create, each with its own customer, API key and subscription (1..100000).", 1, 100_000, 1000);

    public Option<int> Connections { get; } = RangedOption.Create(
        "--connections", "Concurrent workers, and the connection pool's size (1..1024).", 1, 1024, 64);

    public Option<int> DurationSeconds { get; } = RangedOption.Create(
        "--duration-seconds", "Measured length of each phase (1..600).", 1, 600, 10, "seconds");

    public Option<int> WarmupSeconds { get; } = RangedOption.Create(
        "--warmup-seconds", "Unmeasured traffic before each phase (0..60).", 0, 60, 2, "seconds");

    public Option<int> TokensPerCall { get; } = RangedOption.Create(
        "--tokens-per-call", "Tokens each consume asks for (1..1000000).", 1, 1_000_000, 1);

    public Option<long> TokensPerCustomer { get; } = RangedOption.Create(
        "--tokens-per-customer", "Tokens in the load test's plan; make it small to exercise 402 insufficient_tokens.",
        1, MaxTokensPerCustomer, DefaultTokensPerCustomer);

    public Option<long> MaxRequests { get; } = RangedOption.Create(
        "--max-requests", $"Stop each phase (and each warm-up) after this many requests even if time remains (1..{MaxRequestsCeiling}).",
        1, MaxRequestsCeiling, MaxRequestsCeiling);

    public Option<int> Seed { get; } = RangedOption.WithoutDefault(RangedOption.Create(
        "--seed", "Pick each request's shop at random from this seed (0..2147483647); without it, shops take turns.", 0, int.MaxValue, 0));

    public Option<bool> Json { get; } = new("--json") { Description = "Print the report as one snake_case JSON object." };

    public Option<bool> AllowRemote { get; } = new("--allow-remote")
    {
        Description = "Allow a --url that is not a literal loopback address (127.0.0.0/8 or [::1]).",
    };

    public IEnumerable<Option> All =>
        [AdminKey.Option, Shops, Connections, DurationSeconds, WarmupSeconds, TokensPerCall, TokensPerCustomer, MaxRequests, Seed, Json, AllowRemote];

    public LoadTestSettings Settings(ParseResult parseResult, GlobalOptions globals) => new(
        parseResult.GetRequiredValue(globals.Url),
        AdminKey.Value(parseResult),
        parseResult.GetValue(Shops),
        parseResult.GetValue(Connections),
        parseResult.GetValue(DurationSeconds),
        parseResult.GetValue(WarmupSeconds),
        parseResult.GetValue(TokensPerCall),
        parseResult.GetValue(TokensPerCustomer),
        parseResult.GetValue(MaxRequests),
        parseResult.GetResult(Seed) is { Implicit: false } ? parseResult.GetValue(Seed) : null,
        parseResult.GetValue(Json));
}
