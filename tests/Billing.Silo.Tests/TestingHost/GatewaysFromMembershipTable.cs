using Billing.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Billing.Silo.Tests.TestingHost;

/// <summary>
/// TestingHost builds its cluster client from configurator types (made by reflection, so no state
/// but configuration): this one finds the gateways in the silos' AdoNet membership table, as the
/// front door's client does.
/// </summary>
internal sealed class GatewaysFromMembershipTable : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.UseAdoNetClustering(o =>
        {
            o.Invariant = ClusterHosting.PostgresInvariant;
            o.ConnectionString = configuration.GetConnectionString("Billing");
        });
}
