using Billing.Contracts.Metering;
using Billing.Domain;
using Billing.Silo.Invoicing;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// The window a client's <c>occurred_at</c> must fall in: at most <c>Billing:Invoicing:MaxBackdateDays</c>
/// back (the close only looks that far for late usage) and a few minutes ahead (clock skew).
/// One singleton, so the hot path resolves one service, not the clock and the options apart.
/// </summary>
public sealed class BackdateWindow(TimeProvider time, IOptions<BillingOptions> options)
{
    private readonly int maxBackdateDays = options.Value.MaxBackdateDays;

    public FieldError? Check(ConsumeRequest request) =>
        request.OccurredAt is null ? null : request.ValidateOccurredAt(time.GetUtcNow(), maxBackdateDays);
}
