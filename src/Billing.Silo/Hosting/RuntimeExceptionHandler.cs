using Billing.Silo.Metering.Journal;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Billing.Silo.Hosting;

/// <summary>
/// Turns the runtime's own failures into answers a client can act on instead of a 500: a silo
/// that is stopping or a grain that is overloaded is "retry elsewhere/later", a call that timed
/// out is a gateway timeout, and an unreadable request is the client's 4xx.
/// </summary>
internal sealed class RuntimeExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title) = exception switch
        {
            // The grain's silo died or is stopping, or a message was refused on the way: Orleans
            // places the grain again on the next call, so the client retries (with its Idempotency-Key).
            SiloUnavailableException or OrleansMessageRejectionException => (StatusCodes.Status503ServiceUnavailable, "silo_unavailable", "The silo is shutting down; retry on another silo."),
            // On a front door: the gateway silo it called through died or refused the connection. The
            // client moves to another gateway by itself; this one call is the client's to retry.
            ConnectionFailedException or OrleansException { InnerException: ConnectionFailedException } =>
                (StatusCodes.Status503ServiceUnavailable, "silo_unavailable", "The cluster's gateway is unavailable; retry."),
            GatewayTooBusyException or LimitExceededException => (StatusCodes.Status503ServiceUnavailable, "overloaded", "Too many requests are queued for this customer; retry shortly."),
            Invoicing.ShopClosedException => (StatusCodes.Status409Conflict, "shop_closed", "The shop is closed: its periods and terms no longer change."),
            TimeoutException => (StatusCodes.Status504GatewayTimeout, "timeout", "The request did not complete in time."),
            // The database is away (down, restarting, out of connections), whichever path met it first:
            // the usage journal, a grain's load, a read. A write it cut off may still have committed, so
            // a consume is retried with the same Idempotency-Key: a committed one answers as before.
            JournalWriteException { DatabaseUnavailable: true } or System.Data.Common.DbException or Storage.Sql.StorageFailedException =>
                (StatusCodes.Status503ServiceUnavailable, "storage_unavailable", "The database is unavailable; retry shortly, with the same Idempotency-Key."),
            // The database answered, but the journal refused the write (another activation of the
            // customer wrote first): its transaction failed, so nothing was charged.
            JournalWriteException => (StatusCodes.Status503ServiceUnavailable, "journal_unavailable", "The usage could not be made durable; nothing was charged. Retry."),
            // The payment provider gave no answer: the payment stays pending, and a retry with the
            // same Idempotency-Key asks it again under the same key, so it is never charged twice.
            Payments.PaymentProviderException => (StatusCodes.Status502BadGateway, "payment_provider_unavailable", "The payment provider did not answer; retry with the same Idempotency-Key."),
            // Malformed JSON or a body of the wrong shape: the client's mistake in every environment.
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status400BadRequest ? "invalid_json" : ProblemCodes.FromStatus(bad.StatusCode), "The request could not be read."),
            // A form the reader refuses (a key over its 2 KiB limit, a multipart body without its boundary), read by a handler or by the antiforgery check.
            _ when IsUnreadableForm(httpContext, exception) => (StatusCodes.Status400BadRequest, "invalid_form", "The form could not be read."),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Type = $"https://billing.example/problems/{code}", Extensions = { ["code"] = code } },
        });
    }

    // Only on a form request: elsewhere an IOException is the server's own failure. A body over its limit stays its 413.
    private static bool IsUnreadableForm(HttpContext httpContext, Exception exception) =>
        httpContext.Request.HasFormContentType
        && (exception is Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException { InnerException: { } inner } ? inner : exception)
            is InvalidDataException or (IOException and not BadHttpRequestException);
}
