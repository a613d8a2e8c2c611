using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Billing.Domain;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Payments;

/// <summary>PayPal refused with a documented issue (a 422 such as INSTRUMENT_DECLINED, or 404 for an order it does not have): an answer, not an outage.</summary>
public sealed class PayPalRefusedException(int statusCode, string issue, string message) : Exception(message)
{
    public int StatusCode => statusCode;

    /// <summary>PayPal's issue, e.g. <c>ORDER_NOT_APPROVED</c>, <c>INSTRUMENT_DECLINED</c>, <c>RESOURCE_NOT_FOUND</c>.</summary>
    public string Issue => issue;
}

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

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref token) is { } cached && time.GetUtcNow() < cached.RenewAt)
        {
            return cached.Value;
        }

        await tokenGate.WaitAsync(cancellationToken);
        try
        {
            // Another call may have renewed it while this one waited.
            if (token is { } renewed && time.GetUtcNow() < renewed.RenewAt)
            {
                return renewed.Value;
            }

            var fresh = await RequestTokenAsync(cancellationToken);
            Volatile.Write(ref token, fresh);
            return fresh.Value;
        }
        finally
        {
            tokenGate.Release();
        }
    }

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}"));
        var (status, body) = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, settings.ApiBase.TrimEnd('/') + "/v1/oauth2/token")
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Basic", basic) },
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
            },
            authorized: false,
            cancellationToken);
        if (status != 200 || Read<PayPalToken>(body, "/v1/oauth2/token") is not { AccessToken.Length: > 0, ExpiresIn: > 0 } answer)
        {
            // 401 here is our credentials: no retry helps, and nothing was charged.
            throw new PaymentProviderException(string.Create(CultureInfo.InvariantCulture, $"PayPal gave no access token (HTTP {status}); check Billing:Payments:PayPal:ClientId/ClientSecret."));
        }

        var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn);
        var margin = TimeSpan.FromTicks(Math.Min(TokenRenewalMargin.Ticks, lifetime.Ticks / 2));
        return new CachedToken(answer.AccessToken, time.GetUtcNow() + lifetime - margin);
    }

    /// <summary>
    /// One request, asked again (a fresh message each time) while PayPal gives no answer, and once
    /// with a new token when PayPal says ours is no longer valid. Answers the status and the body.
    /// </summary>
    private async Task<(int Status, string Body)> SendAsync(Func<HttpRequestMessage> build, bool authorized, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        var tokenRenewed = false;
        var http = clients.CreateClient(HttpClientName);
        for (var attempt = 1; attempt <= settings.MaxNetworkRetries + 1; attempt++)
        {
            using var request = build();
            if (authorized)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
            }

            string failure;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
                using var response = await http.SendAsync(request, timeout.Token);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (status == 401 && authorized && !tokenRenewed)
                {
                    // Revoked or expired early: one more try with a new token, not counted as a network retry.
                    Volatile.Write(ref token, null);
                    tokenRenewed = true;
                    attempt--;
                    continue;
                }

                if (status is < 500 and not 429)
                {
                    return (status, body);
                }

                failure = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}");
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failure = error.Message;
            }

            if (attempt <= settings.MaxNetworkRetries)
            {
                LogRetrying(logger, request.RequestUri!.AbsolutePath, attempt, failure);
                await Task.Delay(delay, time, cancellationToken);
                delay *= 2;
                continue;
            }

            throw new PaymentProviderException($"PayPal did not answer {request.RequestUri!.AbsolutePath} after {attempt} attempt(s): {failure}");
        }

        throw new InvariantViolationException("The PayPal request loop ended without an answer or an error.");
    }

    private static T? Read<T>(string body, string path)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json);
        }
        catch (JsonException error)
        {
            throw new PaymentProviderException($"PayPal answered {path} with a body that is not its JSON: {error.Message}", error);
        }
    }

    [LoggerMessage(EventId = 8201, Level = LogLevel.Warning, Message = "PayPal gave no answer to {Path} (attempt {Attempt}: {Reason}); asking again with the same PayPal-Request-Id")]
    private static partial void LogRetrying(ILogger logger, string path, int attempt, string reason);

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt);

    private sealed record PayPalToken(string? AccessToken, string? TokenType, long ExpiresIn);

    private sealed record PayPalError(string? Name, string? Message, string? DebugId, IReadOnlyList<PayPalErrorDetail>? Details);

    private sealed record PayPalErrorDetail(string? Issue, string? Description);
}

/// <summary>A PayPal order as Orders v2 shows it (the parts used here).</summary>
public sealed record PayPalOrder(string Id, string Status, IReadOnlyList<PayPalLink>? Links, IReadOnlyList<PayPalPurchaseUnit>? PurchaseUnits)
{
    /// <summary>Where the buyer approves the order: <c>payer-action</c> (with a payment source), or <c>approve</c> (without one).</summary>
    public string? ApproveUrl => Links?.FirstOrDefault(l => l.Rel is "payer-action" or "approve")?.Href;

    /// <summary>The order's capture, once it was captured.</summary>
    public PayPalCapture? Capture => PurchaseUnits?.FirstOrDefault()?.Payments?.Captures?.FirstOrDefault();

    public string? CustomId => PurchaseUnits?.FirstOrDefault()?.CustomId;
}

public sealed record PayPalLink(string Href, string Rel, string? Method);

public sealed record PayPalPurchaseUnit(string? CustomId, PayPalAmount? Amount, PayPalPayments? Payments);

public sealed record PayPalAmount(string CurrencyCode, string Value);

public sealed record PayPalPayments(IReadOnlyList<PayPalCapture>? Captures);

public sealed record PayPalCapture(string Id, string Status, PayPalAmount? Amount);
