namespace Billing.Testing;

/// <summary>Waits, in real time and bounded, for a condition that background work makes true.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 10_000) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeoutMs);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (timeoutMs * TimeProvider.System.TimestampFrequency / 1000);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Still waiting after {timeoutMs} ms for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
