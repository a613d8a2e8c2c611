using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Billing.Cli.Commands;

/// <summary>Options the billing scheduler commands share, with their checks done at parse time so mistakes are usage errors.</summary>
internal static class SchedulerOptions
{
    public const int MaxShopIds = 10_000;
    public const int MaxShopIdLength = 200;
    public const int MinPeriodYear = 2000;

    public static Option<string?> Period(string description) => new("--period")
    {
        Description = description,
        HelpName = "YYYY-MM",
        CustomParser = ParsePeriod,
    };

    public static Option<bool> DryRun(string description) => new("--dry-run") { Description = description };

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static Option<string[]> ShopIds() => new("--shop-ids")
    {
        Description = $"Bill only these shops (space or comma separated, at most {MaxShopIds}); without it, every active shop.",
        HelpName = "shop_id",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = ParseShopIds,
    };

    public static Argument<string> ShopId() => new("shop_id")
    {
        Description = "The shop to bill, e.g. shop_9Xc1Vb2Nm3Aq4Ws5Ed6R.",
        CustomParser = result => Checked(result, result.Tokens[^1].Value),
    };

    /// <summary>A month as the API writes it, "2025-06": four digits, a dash, two digits for 01..12.</summary>
    public static bool IsPeriod(string text) =>
        text.Length == 7 && text[4] == '-'
        && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= MinPeriodYear
        && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12;

    private static string? ParsePeriod(ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        if (IsPeriod(text))
        {
            return text;
        }

        result.AddError($"--period must be a month written YYYY-MM from {MinPeriodYear}-01 on (for example 2025-06), got '{text}'.");
        return null;
    }

    private static string[] ParseShopIds(ArgumentResult result)
    {
        var ids = result.Tokens
            .SelectMany(token => token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (ids.Length == 0)
        {
            result.AddError("--shop-ids needs at least one shop id.");
        }
        else if (ids.Length > MaxShopIds)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"--shop-ids takes at most {MaxShopIds} shops, got {ids.Length}."));
        }

        foreach (var id in ids)
        {
            Checked(result, id);
        }

        return ids;
    }

    private static string Checked(ArgumentResult result, string id)
    {
        if (id.Length == 0 || id.Length > MaxShopIdLength || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            var shown = id.Length > MaxShopIdLength ? string.Concat(id.AsSpan(0, 20), "…") : id;
            result.AddError($"shop id '{shown}' must be 1 to {MaxShopIdLength} characters without spaces.");
        }

        return id;
    }
}
