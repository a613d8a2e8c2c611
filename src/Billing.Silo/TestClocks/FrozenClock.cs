namespace Billing.Silo.TestClocks;

/// <summary>
/// A test clock's now on this silo. It moves only forward, when the clock's advance reaches an
/// event or its end, or when a grain activating here read a later instant from storage; a stale
/// caller never turns it back.
/// </summary>
public sealed class FrozenClock(long frozenAtMs) : TimeProvider
{
    private long atMs = frozenAtMs;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref atMs));

    public void MoveTo(long toMs)
    {
        var seen = Volatile.Read(ref atMs);
        while (toMs > seen)
        {
            var before = Interlocked.CompareExchange(ref atMs, toMs, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }
}
