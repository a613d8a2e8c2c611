using MimeKit;

namespace Billing.Silo.Email;

/// <summary>
/// Mail to customers and operators over SMTP (section <c>Billing:Email</c>, seed 004). Off while
/// <see cref="SmtpHost"/> is unset: then nothing is queued at all, so a month end costs nothing more.
/// </summary>
public sealed class EmailOptions
{
    public const string SectionName = "Billing:Email";
    public const string SecurityNone = "none";
    public const string SecurityStartTls = "starttls";
    public const string SecuritySsl = "ssl";
    public const int MaxBatchSize = 500;
    public const int MaxAttemptsLimit = 20;
    public const int MaxPollIntervalMs = 3_600_000;
    public const int MaxTimeoutSeconds = 300;

    /// <summary>A retry never waits longer than a day, however many doublings came before.</summary>
    public const int MaxRetryDelaySeconds = 86_400;

    /// <summary>The SMTP server; unset: e-mail is off.</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary><c>starttls</c> (the default: upgrade on the submission port), <c>ssl</c> (TLS from the start, port 465) or <c>none</c> (a local relay).</summary>
    public string Security { get; set; } = SecurityStartTls;

    /// <summary>With <see cref="Password"/>, or neither: a relay that needs no login.</summary>
    public string? Username { get; set; }

    /// <summary>From a secret store, never from appsettings.json.</summary>
    public string? Password { get; set; }

    /// <summary>The sender; its domain also names the Message-Id of every mail.</summary>
    public string? FromAddress { get; set; }

    public string FromName { get; set; } = "Billing";

    /// <summary>Where cost alerts go (the operators); unset: cost alerts are not mailed.</summary>
    public string? AlertRecipient { get; set; }

    /// <summary>How often a silo looks for due mails when the last look found less than a batch.</summary>
    public int PollIntervalMs { get; set; } = 5_000;

    /// <summary>Mails one claim takes (and one SMTP connection sends).</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>Attempts per mail; after the last failure the mail is <c>failed</c>, with its error.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; each further one doubles it (at most <see cref="MaxRetryDelaySeconds"/>).</summary>
    public int RetryBaseDelaySeconds { get; set; } = 60;

    /// <summary>How long a sent or failed mail stays listed in the outbox before it is deleted (the mail server keeps its own log).</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Each SMTP step (connect, login, one message).</summary>
    public int TimeoutSeconds { get; set; } = 30;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(SmtpHost);

    /// <summary>How long a claim holds a batch: a step per mail plus connecting and logging in, each at most the timeout, twice over.</summary>
    public long ClaimLeaseMs => 2L * (BatchSize + 2) * TimeoutSeconds * 1_000;

    public IEnumerable<string> Validate()
    {
        if (PollIntervalMs is < 100 or > MaxPollIntervalMs || BatchSize is < 1 or > MaxBatchSize || MaxAttempts is < 1 or > MaxAttemptsLimit
            || RetryBaseDelaySeconds is < 1 or > MaxRetryDelaySeconds || TimeoutSeconds is < 1 or > MaxTimeoutSeconds || RetentionDays is < 1 or > 3_650)
        {
            yield return $"{SectionName}: PollIntervalMs 100..{MaxPollIntervalMs}, BatchSize 1..{MaxBatchSize}, MaxAttempts 1..{MaxAttemptsLimit}, "
                + $"RetryBaseDelaySeconds 1..{MaxRetryDelaySeconds}, TimeoutSeconds 1..{MaxTimeoutSeconds}, RetentionDays 1..3650.";
        }

        if (!IsEnabled)
        {
            yield break;
        }

        if (SmtpPort is < 1 or > 65_535)
        {
            yield return $"{SectionName}:SmtpPort must be 1..65535 (got {SmtpPort}).";
        }

        if (Security is not (SecurityNone or SecurityStartTls or SecuritySsl))
        {
            yield return $"{SectionName}:Security must be '{SecurityNone}', '{SecurityStartTls}' or '{SecuritySsl}' (got '{Security}').";
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return $"{SectionName}: Username and Password go together (both, or neither for a relay without login).";
        }

        if (!IsMailbox(FromAddress))
        {
            yield return $"{SectionName}:FromAddress must be an e-mail address when SmtpHost is set (got '{FromAddress}').";
        }

        if (AlertRecipient is not null && !IsMailbox(AlertRecipient))
        {
            yield return $"{SectionName}:AlertRecipient must be an e-mail address (got '{AlertRecipient}').";
        }
    }

    /// <summary>The domain of <see cref="FromAddress"/>: the right-hand side of every Message-Id.</summary>
    public string MessageIdDomain => FromAddress is { } from && from.LastIndexOf('@') is var at and > 0 ? from[(at + 1)..] : "localhost";

    private static bool IsMailbox(string? address) =>
        address is { Length: > 2 and <= 254 } && MailboxAddress.TryParse(address, out var mailbox) && mailbox.Address == address && address.Contains('@', StringComparison.Ordinal);
}
