using Billing.Contracts.Runs;

namespace Billing.Cli.Scheduler;

/// <summary>What the CLI asks of a run; extensions, so the shared contract carries no members the silo would serialize.</summary>
internal static class RunResponseExtensions
{
    extension(RunResponse run)
    {
        public bool IsRunning => run.Status == RunResponse.Running;

        /// <summary>Whether the run's outcome should fail a script: a shop failed, or the run did not complete.</summary>
        public bool HasFailures => run.Failed > 0 || run.FailuresListed.Count > 0 || run.Status != RunResponse.Completed;

        /// <summary>Empty in a summary, which leaves the list out.</summary>
        public IReadOnlyList<RunShopResultResponse> ResultsListed => run.Results ?? [];

        /// <summary>Empty in a summary, which leaves the list out.</summary>
        public IReadOnlyList<RunShopFailureResponse> FailuresListed => run.Failures ?? [];
    }
}
