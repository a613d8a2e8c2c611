using Billing.Domain;

namespace Billing.Silo.Alerts;

/// <summary>Cost per currency code in 1e-9 units of the currency: a day's or a week's platform total.</summary>
internal sealed class CostTotals
{
    private readonly Dictionary<string, long> nanosByCurrency = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, long>> ByCurrency => nanosByCurrency;

    public void Add(string currency, long nanos) => nanosByCurrency[currency] = checked(nanosByCurrency.GetValueOrDefault(currency) + nanos);

    public void AddAll(CostTotals other)
    {
        foreach (var (currency, nanos) in other.nanosByCurrency)
        {
            Add(currency, nanos);
        }
    }
}

/// <summary>Alerts found due in one evaluation, at most <see cref="MaxAlerts"/>; more are left for the next.</summary>
internal sealed class DueAlerts
{
    public const int MaxAlerts = 1_000;

    public List<Alert> Items { get; } = [];

    public bool Truncated { get; private set; }

    public void Add(Alert alert)
    {
        if (Items.Count < MaxAlerts)
        {
            Items.Add(alert);
        }
        else
        {
            Truncated = true;
        }
    }
}
