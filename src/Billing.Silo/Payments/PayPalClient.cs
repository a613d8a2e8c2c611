using System.Globalization;
using System.Text;
using System.Text.Json;
using Billing.Domain;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Payments;

/// <summary>
/// PayPal's Orders v2 REST API over HttpClient (no SDK): an OAuth2 client-credentials token,
/// cached until shortly before it expires; create, get and capture an order. Calls that move money
/// carry a PayPal-Request-Id, so a retry (ours after a timeout, or the client's) is answered with
/// the first call's order instead of a second one. No answer (network, timeout, 429, 5xx) is asked
/// again up to <see cref="PayPalProviderOptions.MaxNetworkRetries"/> times, then is a
/// <see cref="PaymentProviderException"/>; a documented refusal is a <see cref="PayPalRefusedException"/>.
/// </summary>
public sealed partial class PayPalClient(IHttpClientFactory clients, IOptions<PaymentOptions> options, TimeProvider time, ILogger<PayPalClient> logger)
    : IDisposable
{
    public const string HttpClientName = "billing-paypal";

    /// <summary>PayPal accepts a PayPal-Request-Id of up to 108 characters.</summary>
    public const int MaxRequestIdLength = 108;

    /// <summary>PayPal's answers are a few KiB; one beyond this is not PayPal's.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);

    // Renewed this long before PayPal says it expires (at most half its life), so no call carries a token that dies on the way.
    private static readonly TimeSpan TokenRenewalMargin = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly PayPalProviderOptions settings = options.Value.PayPal;
    private readonly SemaphoreSlim tokenGate = new(1, 1);
    private CachedToken? token;

    /// <summary>An order to capture <paramref name="amount"/> (exact minor units), naming our payment in <c>custom_id</c>.</summary>
    public Task<PayPalOrder> CreateOrderAsync(Money amount, Guid paymentId, string requestId, CancellationToken cancellationToken)
    {
        var body = new
        {
            intent = "CAPTURE",
            purchase_units = new[] { new { custom_id = paymentId.ToString("D"), amount = new { currency_code = amount.Currency.Code, value = ValueOf(amount) } } },
            payment_source = new
            {
                paypal = new
                {
                    experience_context = new { return_url = settings.ReturnUrl, cancel_url = settings.CancelUrl, user_action = "PAY_NOW", shipping_preference = "NO_SHIPPING" },
                },
            },
        };
        return OrderAsync(HttpMethod.Post, "/v2/checkout/orders", JsonSerializer.Serialize(body, Json), requestId, cancellationToken);
    }

    public Task<PayPalOrder> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        OrderAsync(HttpMethod.Get, $"/v2/checkout/orders/{Uri.EscapeDataString(orderId)}", null, null, cancellationToken);

    public Task<PayPalOrder> CaptureAsync(string orderId, string requestId, CancellationToken cancellationToken) =>
        OrderAsync(HttpMethod.Post, $"/v2/checkout/orders/{Uri.EscapeDataString(orderId)}/capture", "{}", requestId, cancellationToken);

    /// <summary>PayPal's amount text: the major unit with exactly the currency's minor digits ("15.00", JPY "1500").</summary>
    public static string ValueOf(Money amount)
    {
        var exact = Money.FromMinorUnits(amount.ToMinorUnits(), amount.Currency);
        return exact.Amount.ToString("F" + exact.Currency.MinorUnitDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    public void Dispose() => tokenGate.Dispose();

    private async Task<PayPalOrder> OrderAsync(HttpMethod method, string path, string? json, string? requestId, CancellationToken cancellationToken)
    {
        if (requestId is { Length: > MaxRequestIdLength })
        {
            throw new InvariantViolationException($"PayPal-Request-Id has {requestId.Length} characters; PayPal accepts {MaxRequestIdLength}.");
        }

        var (status, body) = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(method, settings.ApiBase.TrimEnd('/') + path);
                if (json is not null)
                {
                    request.Content = new StringContent(json, Encoding.UTF8, "application/json");
                }

                if (requestId is not null)
                {
                    request.Headers.Add("PayPal-Request-Id", requestId);
                }

                request.Headers.Add("Prefer", "return=representation");
                return request;
            },
            authorized: true,
            cancellationToken);
        if (status is 200 or 201)
        {
            return Read<PayPalOrder>(body, path) is { Id.Length: > 0, Status.Length: > 0 } order
                ? order
                : throw new PaymentProviderException($"PayPal answered {path} with an order without id or status.");
        }

        var error = Read<PayPalError>(body, path);
        var issue = error?.Details?.FirstOrDefault()?.Issue ?? error?.Name ?? "UNKNOWN";
        throw status is 404 or 422
            ? new PayPalRefusedException(status, issue, $"PayPal refused {path}: {issue} ({error?.DebugId})")
            : new PaymentProviderException(string.Create(CultureInfo.InvariantCulture, $"PayPal answered {path} with {status}: {issue} ({error?.DebugId})"));
    }
}
