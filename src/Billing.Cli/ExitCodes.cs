namespace Billing.Cli;

/// <summary>
/// Process exit codes. Scripts branch on these, so each meaning stays distinct:
/// "the silo said it is unwell" (1) must not look like "we never got an answer" (2) or "you typed it wrong" (64).
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The silo answered and reported something other than healthy (a health report, or a 5xx from the billing scheduler).</summary>
    public const int Unhealthy = 1;

    /// <summary>No usable answer: connection failed, timed out, or the reply was not what a silo sends.</summary>
    public const int Unreachable = 2;

    /// <summary>A load test ran, but the silo's balances do not account for the tokens it accepted.</summary>
    public const int ConservationBroken = 3;

    /// <summary>
    /// The silo answered but refused the request: a wrong admin key (401/403), an unknown shop or run (404), input it
    /// rejected, or a load test's setup.
    /// </summary>
    public const int Refused = 4;

    /// <summary>A billing run (or <c>billing test</c>) finished, but at least one shop failed and was dead-lettered, or the run itself failed.</summary>
    public const int ShopsFailed = 5;

    /// <summary><c>billing process</c> stopped waiting (<c>--timeout-s</c> or Ctrl+C) while the run goes on in the silo.</summary>
    public const int StillRunning = 6;

    /// <summary><c>billing simulate lifecycle</c> ran, but the MRR of its snapshots differs from the analytics API's.</summary>
    public const int MrrMismatch = 7;

    /// <summary>Bad command line (sysexits.h EX_USAGE), kept apart from 1 so a typo never reads as "unhealthy".</summary>
    public const int Usage = 64;
}
