using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Billing.Silo.Telemetry;

/// <summary>
/// The product's meter (<see cref="BillingTelemetry.Name"/>), one per silo (from its
/// <see cref="IMeterFactory"/>). Counters on the paths that act; modules with figures of their own
/// (the journal) add observable instruments to <see cref="Meter"/>, read only when a collector asks.
/// </summary>
public sealed class BillingMetrics
{
    private readonly Counter<long> consumes;
    private readonly Counter<long> closes;
    private readonly Counter<long> invoices;
    private readonly Counter<long> payments;

    public BillingMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(BillingTelemetry.Name);
        consumes = Meter.CreateCounter<long>("billing.consumes", "{call}", "Metered calls decided by a subscription grain, by outcome.");
        closes = Meter.CreateCounter<long>("billing.periods.closed", "{period}", "Billing periods closed (priced; invoiced unless a dry run).");
        invoices = Meter.CreateCounter<long>("billing.invoices.issued", "{invoice}", "Invoices issued.");
        payments = Meter.CreateCounter<long>("billing.payments", "{payment}", "Provider answers recorded for payments, by status.");
    }

    public Meter Meter { get; }

    public void Consumed(string outcome, int count = 1) => consumes.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void PeriodClosed(bool dryRun) => closes.Add(1, new KeyValuePair<string, object?>("dry_run", dryRun));

    public void InvoiceIssued() => invoices.Add(1);

    public void PaymentRecorded(string status) => payments.Add(1, new KeyValuePair<string, object?>("status", status));
}

/// <summary>The names the product's telemetry goes by, and its spans' source.</summary>
public static class BillingTelemetry
{
    public const string Name = "Billing.Orleans";

    /// <summary>Starts nothing (null) unless a tracer listens: the cost when telemetry is off is this check.</summary>
    public static readonly ActivitySource Source = new(Name);
}
