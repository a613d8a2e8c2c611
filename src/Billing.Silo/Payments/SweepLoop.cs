namespace Billing.Silo.Payments;

/// <summary>
/// The loop of the payment sweeps: a pass every interval (the first one too: start-up, with its
/// migrations and the silo joining, comes first), a failed pass reported and left to the next,
/// and a quiet end when the host stops.
/// </summary>
internal static class SweepLoop
{
    public static async Task RunAsync(
        TimeSpan interval, Func<CancellationToken, Task> sweep, Action<Exception> reportFailure, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, TimeProvider.System, stoppingToken);
                try
                {
                    await sweep(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    reportFailure(error);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
