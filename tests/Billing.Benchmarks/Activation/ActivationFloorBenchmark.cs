using System.Globalization;
using System.Net;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Benchmarks.Activation;

/// <summary>
/// The floor under <see cref="ActivationBenchmark"/>'s memory figure: what Orleans itself keeps per
/// activation, measured with a grain that holds nothing, in a bare silo (localhost clustering, no
/// billing services, no database). The same number of activations, the same key shapes, and this
/// process's GC settings, so the two tables compare.
/// </summary>
public static class ActivationFloorBenchmark
{
    private const int Callers = 64;

    public static async Task RunAsync(int activations)
    {
        using var host = Host.CreateDefaultBuilder()
            .UseOrleans(silo =>
            {
                var (siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next());
                silo.UseLocalhostClustering(siloPort, gatewayPort).ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            })
            .ConfigureLogging(logging => logging.AddFilter((string?)null, LogLevel.Warning))
            .Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IEmptyBenchmarkGrain>("warm-up").PingAsync();
        var idle = ProcessMemory.Measure();
        await Parallel.ForEachAsync(Enumerable.Range(1, activations), new ParallelOptions { MaxDegreeOfParallelism = Callers }, async (i, _) =>
            await grains.GetGrain<IEmptyBenchmarkGrain>(Key(i)).PingAsync());
        var active = ProcessMemory.Measure();

        Console.WriteLine($"Orleans alone: a grain that holds nothing ({ProcessMemory.GcMode()})");
        ProcessMemory.PrintTable(activations, idle, active);
        await host.StopAsync();
    }

    // Half customer-shaped, half shop-shaped keys: the same grain ids as 100,000 customers and their shops.
    private static string Key(int i) => (i % 2 == 0 ? "cus_" : "shop_") + i.ToString("D20", CultureInfo.InvariantCulture);
}

public interface IEmptyBenchmarkGrain : IGrainWithStringKey
{
    Task<int> PingAsync();
}

public sealed class EmptyBenchmarkGrain : Grain, IEmptyBenchmarkGrain
{
    public Task<int> PingAsync() => Task.FromResult(1);
}
