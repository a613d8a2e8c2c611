using System.Net;
using System.Net.Sockets;

namespace Billing.Testing;

/// <summary>
/// Loopback ports nobody listens on, for the silos a test starts: several silos run at once in
/// one test process, and each needs its own silo port.
/// </summary>
public static class FreePorts
{
    // The OS hands out ephemeral ports round-robin, so a port released here is not handed out
    // again for a long while; the silo binds it a moment later.
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The settings that put a test silo on 127.0.0.1, on a free silo port, with no gateway.</summary>
    public static IReadOnlyDictionary<string, string> SiloSettings(string siloName) => new Dictionary<string, string>
    {
        ["Billing:Cluster:SiloName"] = siloName,
        ["Billing:Cluster:AdvertisedAddress"] = "127.0.0.1",
        ["Billing:Cluster:SiloPort"] = Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Billing:Cluster:GatewayPort"] = "0",
    };
}
