using System.Net;

namespace Billing.Silo.Hosting;

/// <summary>
/// The reverse proxies in front of the silo (section <c>Billing:Proxy</c>), e.g. nginx terminating
/// TLS. Only a request from one of them may name its client in <c>X-Forwarded-For</c> (and its
/// scheme in <c>X-Forwarded-Proto</c>); from anyone else the headers are ignored, so a client cannot
/// choose the address its failed authentications are counted against. None by default: without a
/// proxy the peer is the client, and behind an unlisted proxy every client shares its address.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Billing:Proxy";
    public const int MaxEntries = 64;
    public const int MaxForwardLimit = 8;

    /// <summary>Proxy addresses, e.g. <c>127.0.0.1</c> for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c> for an ingress in a cluster's pod network.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row may each add an entry to <c>X-Forwarded-For</c>: entries are read from its right.</summary>
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<string> Validate()
    {
        if (KnownProxies.Count + KnownNetworks.Count > MaxEntries)
        {
            yield return $"{SectionName}: at most {MaxEntries} KnownProxies and KnownNetworks together.";
        }

        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return $"{SectionName}:KnownProxies: '{proxy}' is not an IP address.";
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return $"{SectionName}:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8).";
        }

        if (ForwardLimit is < 1 or > MaxForwardLimit)
        {
            yield return $"{SectionName}:ForwardLimit must be 1..{MaxForwardLimit} (got {ForwardLimit}).";
        }
    }
}
