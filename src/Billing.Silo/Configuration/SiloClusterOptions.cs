using System.Net;

namespace Billing.Silo.Configuration;

/// <summary>
/// The silo's place in its Orleans cluster (section <c>Billing:Cluster</c>). On SQLite the silo is
/// a cluster of one on 127.0.0.1; on PostgreSQL every silo with the same ids joins one cluster
/// through the membership table.
/// </summary>
public sealed class SiloClusterOptions
{
    public const string SectionName = "Billing:Cluster";

    public const string SiloRole = "silo";

    public const string FrontDoorRole = "front-door";

    /// <summary>
    /// <c>silo</c> hosts grains and the HTTP API; <c>front-door</c> hosts only the HTTP API and calls
    /// the silos' grains through an Orleans client (PostgreSQL only: it finds the gateways in the membership table).
    /// </summary>
    public string Role { get; set; } = SiloRole;

    /// <summary>
    /// Front door only: how long start-up waits for the silos to have migrated the schema, and again
    /// for a first gateway to connect to, before it gives up with one clear line.
    /// </summary>
    public int FrontDoorStartWaitSeconds { get; set; } = 60;

    public bool IsFrontDoor => Role == FrontDoorRole;

    /// <summary>A name for this silo in logs, the membership table and the dashboard.</summary>
    public string SiloName { get; set; } = "silo-1";

    /// <summary>Silos with the same cluster id form one cluster (a deployment).</summary>
    public string ClusterId { get; set; } = "billing";

    /// <summary>Stable across deployments: reminders and grain state are keyed by it.</summary>
    public string ServiceId { get; set; } = "billing";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans clients (the separate front door); 0 runs no gateway.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The IP address other silos and clients reach this one at. Empty: 127.0.0.1 on SQLite, the
    /// machine's own address on PostgreSQL.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Listen on every interface (containers) rather than on the advertised address only.</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>
    /// How long a probe of another silo may take at first. Orleans then adapts each silo's probe
    /// timeout to the answers it sees, between half of this and <see cref="MaxProbeTimeoutMs"/>.
    /// </summary>
    public int ProbeTimeoutMs { get; set; } = 2_000;

    /// <summary>
    /// The most a probe's timeout may grow to (Orleans: four times <see cref="ProbeTimeoutMs"/>
    /// unless set). A silo that dies silently (host gone, network cut, process frozen: no connection
    /// reset) is suspected after <see cref="MissedProbesLimit"/> probes at up to this long each, so
    /// this × the limit, plus the votes, bounds how soon its customers are served elsewhere. With
    /// Orleans' 8 s a frozen silo took 24 s to be voted out on a busy 2-core machine, 4 s took
    /// 12.5–16 s; 3 s keeps the 20 s failover with room to spare. A busy but live silo is not
    /// voted out by it: message traffic on its connections suppresses the votes.
    /// </summary>
    public int MaxProbeTimeoutMs { get; set; } = 3_000;

    /// <summary>Probes missed in a row before a silo suspects (votes against) another.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How long a caller waits for a grain call before a timeout.</summary>
    public int CallTimeoutMs { get; set; } = 30_000;

    /// <summary>Idle time after which an activation is collected.</summary>
    public int CollectionAgeMinutes { get; set; } = 15;

    public IPAddress? AdvertisedIp => string.IsNullOrWhiteSpace(AdvertisedAddress) ? null : IPAddress.Parse(AdvertisedAddress);

    /// <summary>The role and start wait are checked with the storage: the front door needs the AdoNet membership table.</summary>
    public IEnumerable<string> Validate(bool postgres)
    {
        if (Role is not (SiloRole or FrontDoorRole)) yield return $"Billing:Cluster:Role must be '{SiloRole}' or '{FrontDoorRole}', not '{Role}'.";
        if (IsFrontDoor && !postgres)
        {
            yield return "Billing:Cluster:Role 'front-door' needs Billing:Storage=postgres: it finds the silos' gateways in the AdoNet membership table.";
        }

        if (FrontDoorStartWaitSeconds is < 1 or > 3_600) yield return "Billing:Cluster:FrontDoorStartWaitSeconds must be 1..3600.";
        foreach (var failure in Validate())
        {
            yield return failure;
        }
    }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(SiloName) || SiloName.Length > 100) yield return "Billing:Cluster:SiloName must be 1..100 characters.";
        if (string.IsNullOrWhiteSpace(ClusterId) || ClusterId.Length > 150) yield return "Billing:Cluster:ClusterId must be 1..150 characters.";
        if (string.IsNullOrWhiteSpace(ServiceId) || ServiceId.Length > 150) yield return "Billing:Cluster:ServiceId must be 1..150 characters.";
        if (SiloPort is < 1 or > 65_535) yield return "Billing:Cluster:SiloPort must be 1..65535.";
        if (GatewayPort is < 0 or > 65_535) yield return "Billing:Cluster:GatewayPort must be 0..65535.";
        if (GatewayPort == SiloPort) yield return "Billing:Cluster:GatewayPort must differ from SiloPort.";
        if (!string.IsNullOrWhiteSpace(AdvertisedAddress) && !IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"Billing:Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.";
        }

        if (ProbeTimeoutMs is < 100 or > 60_000) yield return "Billing:Cluster:ProbeTimeoutMs must be 100..60000.";
        if (MaxProbeTimeoutMs is < 100 or > 120_000) yield return "Billing:Cluster:MaxProbeTimeoutMs must be 100..120000.";
        if (MaxProbeTimeoutMs < ProbeTimeoutMs) yield return "Billing:Cluster:MaxProbeTimeoutMs must be at least ProbeTimeoutMs.";
        if (MissedProbesLimit is < 1 or > 10) yield return "Billing:Cluster:MissedProbesLimit must be 1..10.";
        if (CallTimeoutMs is < 100 or > 600_000) yield return "Billing:Cluster:CallTimeoutMs must be 100..600000.";
        if (CollectionAgeMinutes is < 1 or > 10_080) yield return "Billing:Cluster:CollectionAgeMinutes must be 1..10080.";
    }
}
