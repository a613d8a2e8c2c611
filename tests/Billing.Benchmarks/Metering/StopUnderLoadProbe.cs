using Billing.Silo.Grains;
using System.Diagnostics;
using Billing.Domain;
using Billing.Silo.Metering;

namespace Billing.Benchmarks.Metering;

/// <summary>Stops the silo while 64 callers keep consuming; prints how long the stop took and the journal's backlog meanwhile.</summary>
public static class StopUnderLoadProbe
{
    public static async Task RunAsync()
    {
        var silo = await MeteringSilo.StartAsync(200, 1_000_000_000);
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, 64).Select(c => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 10_000_000; i++)
            {
                var (customer, shop) = silo.Customers[(c + (i * 64)) % silo.Customers.Count];
                try
                {
                    await silo.Grains.GetGrain<ISubscriptionGrain>(customer).ConsumeAsync(new ConsumeCommand(shop, "k", new TokenAmount(1), null, null, null, null, null, null));
                }
                catch (Exception)
                {
                    await Task.Yield();
                }
            }
        })));
        await Task.Delay(3_000);
        using var monitor = new Timer(_ => Console.Error.WriteLine($"journal backlog {silo.Journal.Backlog}, batches {silo.Journal.Batches}"), null, 500, 2_000);
        var clock = Stopwatch.StartNew();
        await silo.StopAsync();
        Console.WriteLine($"stopped under load in {clock.ElapsedMilliseconds} ms");
        await stop.CancelAsync();
        await load;
        await silo.DisposeAsync();
    }
}
