using Billing.Silo.Configuration;

namespace Billing.Silo.Tests.Cluster;

/// <summary>The membership timings a silo accepts: the failover bound rests on them.</summary>
public sealed class SiloClusterOptionsTests
{
    [Fact]
    public void DefaultsAreValidAndBoundASilentDeathUnderTwentySeconds()
    {
        var defaults = new SiloClusterOptions();

        Assert.Empty(defaults.Validate());
        // Suspected after this many probes at the longest timeout; the vote and the takeover need the rest.
        Assert.True(defaults.MissedProbesLimit * defaults.MaxProbeTimeoutMs <= 12_000);
    }

    [Theory]
    [InlineData(2_000, 1_999, "Billing:Cluster:MaxProbeTimeoutMs must be at least ProbeTimeoutMs.")]
    [InlineData(2_000, 120_001, "Billing:Cluster:MaxProbeTimeoutMs must be 100..120000.")]
    [InlineData(50, 4_000, "Billing:Cluster:ProbeTimeoutMs must be 100..60000.")]
    public void ProbeTimeoutsOutOfRangeAreRefused(int probeTimeoutMs, int maxProbeTimeoutMs, string expected)
    {
        var options = new SiloClusterOptions { ProbeTimeoutMs = probeTimeoutMs, MaxProbeTimeoutMs = maxProbeTimeoutMs };

        Assert.Contains(expected, options.Validate());
    }
}
