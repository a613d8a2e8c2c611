using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Notifications;

/// <summary>
/// Sends each notice to Slack (a line of text) and to the generic webhook (the notice as JSON,
/// signed), one after the other, each target retried with doubling delays up to
/// <see cref="NotificationOptions.MaxAttempts"/>; a target that keeps failing costs its own notice
/// only. Receivers of the generic webhook verify <c>X-Billing-Signature</c> (t=unix seconds,
/// v1=hex HMAC-SHA256 of "t.body" under the shared secret) and may dedupe on the notice's id.
/// </summary>
public sealed partial class NotificationSender(
    NotificationOutbox outbox, IHttpClientFactory clients, IOptions<NotificationOptions> options, TimeProvider time, ILogger<NotificationSender> logger)
    : BackgroundService
{
    public const string HttpClientName = "billing-notifications";
    public const string SignatureHeader = "X-Billing-Signature";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly NotificationOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notice in outbox.Reader.ReadAllAsync(stoppingToken))
            {
                if (settings.SlackWebhookUrl is { } slack)
                {
                    await DeliverAsync(notice, slack, Slack(notice), signed: false, stoppingToken);
                }

                if (settings.WebhookUrl is { } url)
                {
                    await DeliverAsync(notice, url, Generic(notice), signed: true, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is lost with the process, as the notices are only news.
        }
    }

    private async Task DeliverAsync(Notice notice, string url, string body, bool signed, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(settings.FirstRetryDelayMs);
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            var failure = await TryPostAsync(notice, url, body, signed, cancellationToken);
            if (failure is null)
            {
                return;
            }

            if (attempt == settings.MaxAttempts)
            {
                LogGaveUp(logger, notice.Kind, notice.Id, new Uri(url).Host, attempt, failure);
                return;
            }

            await Task.Delay(delay, time, cancellationToken);
            delay *= 2;
        }
    }

    private async Task<string?> TryPostAsync(Notice notice, string url, string body, bool signed, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Billing-Event", notice.Kind);
        if (signed)
        {
            request.Headers.Add(SignatureHeader, Sign(body, settings.WebhookSecret!, time.GetUtcNow()));
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.TimeoutMs);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return error.Message;
        }
    }

    /// <summary>t=unix seconds, v1=hex HMAC-SHA256 of "t.body": the timestamp is signed too, so a receiver can refuse replays.</summary>
    public static string Sign(string body, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")))}";
    }

    private static string Slack(Notice notice) => JsonSerializer.Serialize(new { text = notice.Text }, Json);

    private static string Generic(Notice notice) =>
        JsonSerializer.Serialize(new { id = notice.Id, kind = notice.Kind, occurred_at = notice.OccurredAt, text = notice.Text, data = notice.Data }, Json);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Notice {Kind} {NoticeId} not delivered to {Host} after {Attempts} attempts: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string kind, Guid noticeId, string host, int attempts, string reason);
}
