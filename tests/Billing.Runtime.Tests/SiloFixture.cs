using Billing.Runtime.Testing;
using Billing.Runtime.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Runtime.Tests;

/// <summary>Starts test silos with the test grains and a probe; the database outlives each silo so restarts can be tested.</summary>
public static class Silos
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static Task<TestSilo> StartAsync(TestDatabase database, Probe probe, TimeProvider? time = null, IDictionary<string, string?>? settings = null) =>
        TestSilo.StartAsync(database, g => g.AddTestGrains(), time, settings, services => services.AddSingleton(probe));
}
