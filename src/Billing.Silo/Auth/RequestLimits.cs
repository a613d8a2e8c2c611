using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Auth;

/// <summary>
/// The rate limiters (System.Threading.RateLimiting, ASP.NET Core's): a token bucket per API key
/// for metered requests, and a fixed window of failed authentications per client address (IPv6 by
/// its /64, which one client holds whole). Idle partitions are dropped by the limiters themselves,
/// so memory follows the active keys and the addresses failing now. The address check runs only
/// while some authentication failed within the last window: a clean request pays nothing for it.
/// A request without a peer address (an in-process test server) has nothing to be counted under.
/// </summary>
public sealed class RequestLimits : IDisposable
{
    private readonly RateLimitOptions settings;
    private readonly TimeProvider time;
    private readonly PartitionedRateLimiter<string>? metered;
    private readonly PartitionedRateLimiter<string> failures;
    private long lastFailureTimestamp = long.MinValue;

    public RequestLimits(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        settings = options.Value;
        this.time = time;
        if (settings.MeteredRequestsPerSecondPerKey > 0)
        {
            metered = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.MeteredBurstPerKey,
                TokensPerPeriod = settings.MeteredRequestsPerSecondPerKey,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            }));
        }

        failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.FailedAuthPerWindow,
            Window = TimeSpan.FromSeconds(settings.FailedAuthWindowSeconds),
            QueueLimit = 0,
        }));
    }

    /// <summary>Takes a metered request from the key's bucket; false (and how long to wait) when it is empty.</summary>
    public bool TryAcquireMetered(string keyId, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (metered is null)
        {
            return true;
        }

        using var lease = metered.AttemptAcquire(keyId);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return false;
    }

    /// <summary>True when the client's address used up its failed authentications for this window: it waits until the window ends.</summary>
    public bool IsBlocked(HttpContext http, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.FromSeconds(settings.FailedAuthWindowSeconds);
        var last = Volatile.Read(ref lastFailureTimestamp);
        if (last == long.MinValue || time.GetElapsedTime(last) > retryAfter)
        {
            return false;
        }

        return AddressOf(http) is { } address && failures.GetStatistics(address)?.CurrentAvailablePermits == 0;
    }

    /// <summary>Counts a failed authentication against the client's address.</summary>
    public void NoteFailure(HttpContext http)
    {
        if (AddressOf(http) is not { } address)
        {
            return;
        }

        Volatile.Write(ref lastFailureTimestamp, time.GetTimestamp());
        using var lease = failures.AttemptAcquire(address);
    }

    public void Dispose()
    {
        metered?.Dispose();
        failures.Dispose();
    }

    private static string? AddressOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>Whole seconds, rounded up, as <c>Retry-After</c> takes them.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
