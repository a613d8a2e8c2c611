namespace Billing.Silo.Grains;

/// <summary>A grain's one reminder that follows a durable schedule: kept on the next due instant, or removed when nothing is due any more.</summary>
internal static class GrainReminders
{
    /// <summary>
    /// Registers <paramref name="name"/> for <paramref name="comeBackAt"/> (now, when it is past), or
    /// removes it when null. The period matters only when a tick finds nothing decided (an outage):
    /// then it is the retry.
    /// </summary>
    public static async Task KeepOrRemoveAsync(IGrainBase grain, string name, DateTimeOffset? comeBackAt, DateTimeOffset now, TimeSpan retryPeriod)
    {
        if (comeBackAt is { } at)
        {
            var wait = at - now;
            await grain.RegisterOrUpdateReminder(name, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, retryPeriod);
        }
        else if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
