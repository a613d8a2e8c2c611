using Billing.Silo.Invoicing;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Billing.Silo.Email;

/// <summary>
/// Sends the outbox on the silos: claims due mails in batches of <see cref="EmailOptions.BatchSize"/>
/// with a lease, sends each batch over one SMTP connection (MailKit) and marks each mail sent;
/// a failure is retried with doubling delays from <see cref="EmailOptions.RetryBaseDelaySeconds"/>,
/// and after <see cref="EmailOptions.MaxAttempts"/> the mail is <c>failed</c>, with its error.
/// <para>
/// At least once, never lost: a crash after the SMTP server accepted a mail but before it was
/// marked sent leaves the row claimed; when the lease runs out it is sent again. The Message-Id is
/// the outbox id's (<c>&lt;{id}@{from domain}&gt;</c>), the same on every attempt, so receivers
/// that drop duplicate Message-Ids show the mail once.
/// </para>
/// </summary>
public sealed partial class EmailSender(
    EmailOutbox outbox, InvoiceBook invoices, IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailSender> logger) : BackgroundService
{
    private readonly EmailOptions settings = options.Value;

    // Whose claims these are: a fresh token per sender, so two silos never count each other's claims as their own.
    private readonly string claimToken = Guid.NewGuid().ToString("N");

    /// <summary>One claim and its sending; answers how many mails were claimed (sent or not).</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var batch = await outbox.ClaimDueAsync(claimToken, settings.BatchSize, nowMs, nowMs + settings.ClaimLeaseMs, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        // Never past the lease (on the clock that wrote it): after it another sender may take these rows.
        using var leaseLimit = new CancellationTokenSource(TimeSpan.FromMilliseconds(settings.ClaimLeaseMs / 2), time);
        using var withinLease = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leaseLimit.Token);
        using var smtp = new SmtpClient { Timeout = settings.TimeoutSeconds * 1_000 };
        string? connectFailure = null;
        foreach (var email in batch)
        {
            var (message, composeFailure) = await ComposeAsync(email, nowMs, cancellationToken);
            var failure = composeFailure ?? connectFailure;
            if (failure is null && !smtp.IsConnected)
            {
                // Connecting failed: the rest of the batch would fail alike, so it is not tried again.
                failure = connectFailure = await TryAsync(() => ConnectAsync(smtp, withinLease.Token), cancellationToken);
            }

            failure ??= await TryAsync(() => smtp.SendAsync(message!, withinLease.Token), cancellationToken);
            await RecordAsync(email, message?.Subject, failure, cancellationToken);
        }

        if (smtp.IsConnected)
        {
            await TryAsync(() => smtp.DisconnectAsync(quit: true, withinLease.Token), cancellationToken);
        }

        return batch.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.IsEnabled)
        {
            return;
        }

        try
        {
            var claimed = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                // After a full batch more may be due (a month end): no wait. The first look waits too: start-up comes first.
                // Real time, not the billing clock: polling is housekeeping, and a test clock that jumps
                // days must not start a send whose lease that same jump then ends.
                if (claimed < settings.BatchSize)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(settings.PollIntervalMs), stoppingToken);
                }

                try
                {
                    claimed = await SendDueAsync(stoppingToken);
                    if (claimed == 0)
                    {
                        // Idle: a batch of mails past their retention goes, so the outbox stays bounded.
                        await PurgeExpiredAsync(stoppingToken);
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // Nothing is lost: claimed rows are due again when their lease ends.
                    claimed = 0;
                    EmailLog.SendFailed(logger, settings.PollIntervalMs, error.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: claimed rows not yet sent are due again when their lease ends.
        }
    }

    /// <summary>Deletes a batch of sent or failed mails older than <see cref="EmailOptions.RetentionDays"/>; answers how many.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        outbox.PurgeAsync(time.GetUtcNow().AddDays(-settings.RetentionDays).ToUnixTimeMilliseconds(), EmailOptions.MaxBatchSize, cancellationToken);

    private async Task ConnectAsync(SmtpClient smtp, CancellationToken cancellationToken)
    {
        var security = settings.Security switch
        {
            EmailOptions.SecuritySsl => SecureSocketOptions.SslOnConnect,
            EmailOptions.SecurityStartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await smtp.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await smtp.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        }
    }

    /// <summary>Null when done, else why not: every failure of the server, the network or the message becomes a retry.</summary>
    private static async Task<string?> TryAsync(Func<Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step();
            return null;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            // Not stopping: a cancellation here is the lease's own limit.
            return error is OperationCanceledException ? "timed out within the claim's lease" : $"{error.GetType().Name}: {error.Message}";
        }
    }

    private async Task RecordAsync(ClaimedEmail email, string? subject, string? failure, CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (failure is null)
        {
            if (!await outbox.MarkSentAsync(email, claimToken, subject!, nowMs, cancellationToken))
            {
                // The lease ran out before the mail went: another sender has the row and may send it again, under the same Message-Id.
                EmailLog.ClaimLost(logger, email.Kind, email.Id);
            }

            return;
        }

        var attempt = email.Attempts + 1;
        var clipped = failure.Length > MaxErrorLength ? failure[..MaxErrorLength] : failure;
        long? retryAtMs = attempt < settings.MaxAttempts ? nowMs + RetryDelayMs(attempt) : null;
        await outbox.MarkAttemptFailedAsync(email, claimToken, subject, clipped, retryAtMs, cancellationToken);
        if (retryAtMs is null)
        {
            EmailLog.GaveUp(logger, email.Kind, email.Id, attempt, clipped);
        }
        else
        {
            EmailLog.AttemptFailed(logger, email.Kind, email.Id, attempt, settings.MaxAttempts, clipped);
        }
    }

    /// <summary>The base delay doubled for each attempt after the first, at most a day.</summary>
    private long RetryDelayMs(int attempt) =>
        Math.Min((long)settings.RetryBaseDelaySeconds << Math.Min(attempt - 1, 20), EmailOptions.MaxRetryDelaySeconds) * 1_000;

    private const int MaxErrorLength = 500;
}
