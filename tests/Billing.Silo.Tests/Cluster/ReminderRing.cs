using System.Net;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Cluster;

/// <summary>
/// Which silo's reminder service owns a reminder row, as Orleans decides it: a consistent ring of
/// virtual buckets (each active silo puts <see cref="BucketsPerSilo"/> points on it, from
/// <see cref="SiloAddress.GetUniformHashCodes"/>), and a row belongs to the silo of the first point
/// at or after its grain hash, wrapping around (Orleans' VirtualBucketsRingProvider).
/// </summary>
internal sealed class ReminderRing
{
    /// <summary>Orleans' default ConsistentRingOptions.NumVirtualBucketsConsistentRing; the silo does not change it.</summary>
    public const int BucketsPerSilo = 30;

    private readonly (uint Point, string Silo)[] points;

    public ReminderRing(IEnumerable<(string Name, IPEndPoint Endpoint, int Generation)> members)
    {
        var ring = new SortedDictionary<uint, (SiloAddress Address, string Name)>();
        foreach (var (name, endpoint, generation) in members)
        {
            var address = SiloAddress.New(endpoint, generation);
            foreach (var point in address.GetUniformHashCodes(BucketsPerSilo))
            {
                // On a collision Orleans keeps the lesser silo address.
                if (!ring.TryGetValue(point, out var other) || address.CompareTo(other.Address) < 0)
                {
                    ring[point] = (address, name);
                }
            }
        }

        points = [.. ring.Select(p => (p.Key, p.Value.Name))];
        if (points.Length == 0)
        {
            throw new InvalidOperationException("a reminder ring needs at least one silo");
        }
    }

    /// <summary>The silo (by name) whose reminder service delivers a row with this grain hash.</summary>
    public string OwnerOf(int grainHash)
    {
        var hash = unchecked((uint)grainHash);
        foreach (var (point, silo) in points)
        {
            if (point >= hash)
            {
                return silo;
            }
        }

        return points[0].Silo;
    }
}
