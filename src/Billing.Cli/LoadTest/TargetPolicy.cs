using System.Net;

namespace Billing.Cli.LoadTest;

/// <summary>
/// Which URLs a load test may hit. A load test is a flood of requests, so by default it only goes to this machine:
/// a literal 127.0.0.0/8 or [::1] address. Host names are refused even when they say "localhost", because what a
/// name resolves to is decided elsewhere; anything else needs an explicit <c>--allow-remote</c>.
/// </summary>
internal static class TargetPolicy
{
    public static bool IsLoopbackLiteral(Uri url)
    {
        // Uri keeps the brackets of an IPv6 host in Host; IdnHost drops them.
        if (!IPAddress.TryParse(url.IdnHost, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address);
    }

    /// <summary>The usage error for a refused URL, or null when the URL may be targeted.</summary>
    public static string? Refusal(Uri url, bool allowRemote)
    {
        if (allowRemote || IsLoopbackLiteral(url))
        {
            return null;
        }

        var refusal = $"loadtest only targets loopback addresses (127.0.0.0/8 or [::1]) unless --allow-remote is given; refusing {url.GetLeftPart(UriPartial.Authority)}.";
        return url.HostNameType == UriHostNameType.Dns ? $"{refusal} Host names are not trusted to be local: write 127.0.0.1 or [::1]." : refusal;
    }
}
