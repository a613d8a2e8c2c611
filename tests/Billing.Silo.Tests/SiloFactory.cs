using Billing.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Billing.Silo.Tests;

/// <summary>The real silo host, in process, over a throwaway database of either dialect, on its own loopback port.</summary>
public sealed class SiloFactory(TestDatabase database) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Billing:Storage", database.Storage);
        builder.UseSetting("ConnectionStrings:Billing", database.ConnectionString);
        foreach (var (key, value) in FreePorts.SiloSettings("functional-test"))
        {
            builder.UseSetting(key, value);
        }
    }
}
