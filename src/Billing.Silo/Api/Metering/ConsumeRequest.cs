using System.Security.Cryptography;
using System.Text;
using Billing.Domain;

namespace Billing.Silo.Api.Metering;

/// <summary>The body of <c>POST /api/v1/billing/tokens/consume</c> and of each event of a usage batch.</summary>
public sealed record ConsumeRequest(long Tokens, string? Description, string? Endpoint, string? Method, int? StatusCode)
{
    public const int MaxDescriptionLength = 500;
    public const int MaxEndpointLength = 200;
    public const int MaxMethodLength = 16;
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>Every problem with the request, by field; empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!TokenAmount.TryValidateRequest(Tokens, out _))
        {
            errors["tokens"] = [TokenAmount.RequestOutOfRangeMessage];
        }

        CheckLength(errors, "description", Description, MaxDescriptionLength);
        CheckLength(errors, "endpoint", Endpoint, MaxEndpointLength);
        CheckLength(errors, "method", Method, MaxMethodLength);
        if (StatusCode is < 100 or > 599)
        {
            errors["status_code"] = ["status_code must be an HTTP status between 100 and 599"];
        }

        return errors;
    }

    /// <summary>
    /// SHA-256 over the request's fields in a fixed order, so a retry matches its original however
    /// its JSON was formatted, and any changed field makes it a different request.
    /// </summary>
    public string Hash()
    {
        var canonical = string.Join('\u001f', Tokens, Description ?? "\u0000", Endpoint ?? "\u0000", Method ?? "\u0000", StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "\u0000");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string? ValidateIdempotencyKey(string? key) =>
        key is null ? null
        : key.Length is 0 or > MaxIdempotencyKeyLength ? $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters"
        : key.Any(char.IsControl) ? "Idempotency-Key must not contain control characters"
        : null;

    private static void CheckLength(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is { Length: > 0 } && value.Length > max)
        {
            errors[field] = [$"{field} must be at most {max} characters"];
        }
    }
}

/// <summary>The answer to an accepted consume.</summary>
public sealed record ConsumeResponse(long TokensRemaining, long UsedTokens, Guid UsageId);

/// <summary>The answer of the bare endpoint the load test compares against.</summary>
public sealed record ParseOnlyResponse(long Tokens);
