namespace Billing.Runtime;

/// <summary>Limits and timings of the grain runtime (section <c>Billing:Runtime</c>).</summary>
public sealed class GrainRuntimeOptions
{
    public const string SectionName = "Billing:Runtime";

    /// <summary>A name for this silo in logs and (later) the membership table.</summary>
    public string SiloName { get; set; } = "silo-1";

    /// <summary>How long a caller waits for a grain call before a <see cref="GrainCallTimeoutException"/>.</summary>
    public int CallTimeoutMs { get; set; } = 30_000;

    /// <summary>Idle time after which an activation is collected, unless its class says otherwise.</summary>
    public int CollectionAgeMinutes { get; set; } = 15;

    /// <summary>How often the idle collector looks at activations.</summary>
    public int CollectionQuantumMs { get; set; } = 60_000;

    /// <summary>Calls that may wait in one activation's mailbox; more are rejected, not queued without end.</summary>
    public int MaxQueuedCallsPerActivation { get; set; } = 10_000;

    /// <summary>
    /// How long a graceful shutdown waits for activations to finish their last turns and writes.
    /// Keep it well inside the host's shutdown timeout: what stops after the grains (the usage
    /// journal's last flush) needs time too.
    /// </summary>
    public int ShutdownTimeoutMs { get; set; } = 20_000;

    /// <summary>Grain keys longer than this are refused: they are storage keys.</summary>
    public int MaxGrainKeyLength { get; set; } = 256;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(SiloName)) yield return "SiloName must not be empty.";
        if (CallTimeoutMs is < 1 or > 600_000) yield return "CallTimeoutMs must be 1..600000.";
        if (CollectionAgeMinutes is < 1 or > 10_080) yield return "CollectionAgeMinutes must be 1..10080.";
        if (CollectionQuantumMs is < 100 or > 3_600_000) yield return "CollectionQuantumMs must be 100..3600000.";
        if (MaxQueuedCallsPerActivation is < 1 or > 1_000_000) yield return "MaxQueuedCallsPerActivation must be 1..1000000.";
        if (ShutdownTimeoutMs is < 0 or > 600_000) yield return "ShutdownTimeoutMs must be 0..600000.";
        if (MaxGrainKeyLength is < 1 or > 4096) yield return "MaxGrainKeyLength must be 1..4096.";
    }
}

/// <summary>The durable reminder service (section <c>Billing:Reminders</c>).</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Billing:Reminders";

    /// <summary>How often the due head of the reminder index is read.</summary>
    public int PollIntervalMs { get; set; } = 1_000;

    /// <summary>Reminders claimed per read; a poll reads again while batches come back full, up to <see cref="MaxBatchesPerPoll"/>.</summary>
    public int BatchSize { get; set; } = 1_000;

    public int MaxBatchesPerPoll { get; set; } = 100;

    /// <summary>Reminder deliveries in flight at once.</summary>
    public int MaxParallelDeliveries { get; set; } = 64;

    /// <summary>A claimed reminder is not claimed again before this; it bounds the delay after a crash mid-delivery.</summary>
    public int ClaimLeaseMs { get; set; } = 120_000;

    /// <summary>First retry delay after a grain failed a tick; doubles per failure up to <see cref="MaxRetryDelayMs"/>.</summary>
    public int RetryDelayMs { get; set; } = 10_000;

    public int MaxRetryDelayMs { get; set; } = 3_600_000;

    /// <summary>Interval reminders faster than this are refused (reminders are for minutes and months; timers for less).</summary>
    public int MinimumPeriodMs { get; set; } = 60_000;

    public IEnumerable<string> Validate()
    {
        if (PollIntervalMs is < 10 or > 60_000) yield return "PollIntervalMs must be 10..60000.";
        if (BatchSize is < 1 or > 10_000) yield return "BatchSize must be 1..10000.";
        if (MaxBatchesPerPoll is < 1 or > 10_000) yield return "MaxBatchesPerPoll must be 1..10000.";
        if (MaxParallelDeliveries is < 1 or > 1_024) yield return "MaxParallelDeliveries must be 1..1024.";
        if (ClaimLeaseMs is < 1_000 or > 86_400_000) yield return "ClaimLeaseMs must be 1000..86400000.";
        if (RetryDelayMs < 1 || RetryDelayMs > MaxRetryDelayMs) yield return "RetryDelayMs must be 1..MaxRetryDelayMs.";
        if (MaxRetryDelayMs > 86_400_000) yield return "MaxRetryDelayMs must be at most 86400000.";
        if (MinimumPeriodMs is < 1 or > 86_400_000) yield return "MinimumPeriodMs must be 1..86400000.";
    }
}

/// <summary>Which database the silo uses (section <c>Billing</c>, plus <c>ConnectionStrings:Billing</c>).</summary>
public sealed class StorageOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (the embedded default) or <c>postgres</c>.</summary>
    public string Storage { get; set; } = Sqlite;

    /// <summary>For PostgreSQL, required; for SQLite, defaults to a file under ./data.</summary>
    public string? ConnectionString { get; set; }

    public static string DefaultSqliteConnectionString => "Data Source=" + Path.Combine("data", "billing.db");

    public IEnumerable<string> Validate()
    {
        if (Storage is not (Sqlite or Postgres))
        {
            yield return $"Billing:Storage must be '{Sqlite}' or '{Postgres}', not '{Storage}'.";
        }
        else if (Storage == Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "Billing:Storage is 'postgres' but ConnectionStrings:Billing is empty.";
        }
    }
}
