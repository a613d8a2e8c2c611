namespace Billing.Cli;

/// <summary>
/// Process exit codes. Scripts branch on these, so each meaning stays distinct:
/// "the silo said it is unwell" (1) must not look like "we never got an answer" (2) or "you typed it wrong" (64).
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The silo answered and reported something other than healthy.</summary>
    public const int Unhealthy = 1;

    /// <summary>No usable answer: connection failed, timed out, or the reply was not what a silo sends.</summary>
    public const int Unreachable = 2;

    /// <summary>A load test ran, but the silo's balances do not account for the tokens it accepted.</summary>
    public const int ConservationBroken = 3;

    /// <summary>The silo answered but refused the load test's setup (wrong admin key, missing endpoint, invalid plan).</summary>
    public const int SetupRefused = 4;

    /// <summary>Bad command line (sysexits.h EX_USAGE), kept apart from 1 so a typo never reads as "unhealthy".</summary>
    public const int Usage = 64;
}
