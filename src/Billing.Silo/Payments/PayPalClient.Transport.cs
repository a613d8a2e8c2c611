using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Billing.Domain;

namespace Billing.Silo.Payments;

/// <summary>PayPalClient's transport: the cached OAuth2 token, and one request asked again (bounded) while PayPal gives no answer.</summary>
public sealed partial class PayPalClient
{
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
