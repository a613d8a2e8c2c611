using System.Security.Cryptography;
using System.Text;
using Billing.Contracts.Metering;
using Billing.Domain;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// The silo's rules for <see cref="ConsumeRequest"/> (the body of <c>POST /api/v1/billing/tokens/consume</c> and of
/// each event of a usage batch): the contract carries the fields, the silo decides what it accepts.
/// </summary>
/// <remarks>
/// <c>occurred_at</c> back-dates the call (a client replaying a buffer after an outage). It is
/// accepted up to <c>Billing:Invoicing:MaxBackdateDays</c> in the past and at most
/// <see cref="MaxClockSkewSeconds"/> ahead of the silo's clock. Usage back-dated into a period that
/// was already invoiced becomes a "Late usage" line on the shop's next invoice.
/// </remarks>
public static class ConsumeRules
{
    /// <summary>How far a client's clock may run ahead of ours before its occurred_at is refused.</summary>
    public const int MaxClockSkewSeconds = InputRules.MaxClockSkewSeconds;

    public const int MaxDescriptionLength = 500;
    public const int MaxEndpointLength = 200;
    public const int MaxMethodLength = 16;
    public const int MaxIdempotencyKeyLength = 255;

    extension(ConsumeRequest request)
    {
        /// <summary>Every problem with the request; empty when it is valid.</summary>
        public List<FieldError> Validate()
        {
            var errors = new List<FieldError>();
            if (!TokenAmount.TryValidateRequest(request.Tokens, out _))
            {
                errors.Add(new FieldError("tokens", TokenAmount.RequestOutOfRangeMessage));
            }

            CheckLength(errors, "description", request.Description, MaxDescriptionLength);
            CheckLength(errors, "endpoint", request.Endpoint, MaxEndpointLength);
            CheckLength(errors, "method", request.Method, MaxMethodLength);
            if (request.StatusCode is < 100 or > 599)
            {
                errors.Add(new FieldError("status_code", "status_code must be an HTTP status between 100 and 599"));
            }

            return errors;
        }

        /// <summary>
        /// SHA-256 over the request's fields in a fixed order, so a retry matches its original however
        /// its JSON was formatted, and any changed field makes it a different request.
        /// </summary>
        public string Hash()
        {
            var canonical = string.Join(
                '\u001f', request.Tokens, request.Description ?? "\u0000", request.Endpoint ?? "\u0000", request.Method ?? "\u0000",
                request.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "\u0000");
            // Appended only when present, so the hashes of requests stored before back-dating existed stay valid.
            if (request.OccurredAt is { } at)
            {
                canonical += '\u001f' + at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }

        /// <summary>Whether <c>occurred_at</c>, if given, lies in the window this silo accepts at <paramref name="now"/>.</summary>
        public FieldError? ValidateOccurredAt(DateTimeOffset now, int maxBackdateDays)
        {
            if (request.OccurredAt is not { } at)
            {
                return null;
            }

            if (at > now.AddSeconds(MaxClockSkewSeconds))
            {
                return new FieldError("occurred_at", $"occurred_at must not be more than {MaxClockSkewSeconds} seconds in the future");
            }

            return at < now.AddDays(-maxBackdateDays)
                ? new FieldError("occurred_at", $"occurred_at must not be more than {maxBackdateDays} days in the past")
                : null;
        }
    }

    extension(ConsumeRequest)
    {
        public static string? ValidateIdempotencyKey(string? key) =>
            key is null ? null
            : key.Length == 0 || TextLength.Exceeds(key, MaxIdempotencyKeyLength) ? $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters"
            : key.Any(char.IsControl) ? "Idempotency-Key must not contain control characters"
            : null;
    }

    private static void CheckLength(List<FieldError> errors, string field, string? value, int max)
    {
        if (value is not null && TextLength.Exceeds(value, max))
        {
            errors.Add(new FieldError(field, $"{field} must be at most {max} characters"));
        }
    }
}

/// <summary>One event of <c>POST /api/v1/usage/batch</c>: a consume with its own optional idempotency key.</summary>
public sealed record UsageBatchEvent(
    long Tokens, string? Description, string? Endpoint, string? Method, int? StatusCode, string? IdempotencyKey, DateTimeOffset? OccurredAt = null)
{
    public ConsumeRequest Request => new(Tokens, Description, Endpoint, Method, StatusCode, OccurredAt);
}

public sealed record UsageBatchRequest(IReadOnlyList<UsageBatchEvent>? Events)
{
    public const int MaxEvents = 1_000;

    /// <summary>A thousand events of bounded fields fit well within this.</summary>
    public const int MaxBodyBytes = 1024 * 1024;
}

/// <summary>The result of one batch event: <c>status</c> is what a single consume would have answered.</summary>
public sealed record UsageBatchResult(int Index, int Status, string? Code, long? TokensRemaining, long? UsedTokens, Guid? UsageId);

public sealed record UsageBatchResponse(int Accepted, int Rejected, IReadOnlyList<UsageBatchResult> Results);

/// <summary>The answer to an accepted consume.</summary>
public sealed record ConsumeResponse(long TokensRemaining, long UsedTokens, Guid UsageId);

/// <summary>The answer of the bare endpoint the load test compares against.</summary>
public sealed record ParseOnlyResponse(long Tokens);
