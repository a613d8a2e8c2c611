using Billing.Runtime.Core;
using Billing.Runtime.Reminders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Runtime.Testing;

/// <summary>
/// A silo in this process over a given database, for tests: start it, call grains, stop it
/// gracefully or kill it (no deactivation, no last writes), and start another over the same data.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private TestSilo(IHost host)
    {
        this.host = host;
        Runtime = host.Services.GetRequiredService<GrainRuntime>();
    }

    public IServiceProvider Services => host.Services;

    public GrainRuntime Runtime { get; }

    public IGrainFactory GrainFactory => Runtime;

    public ReminderService Reminders => host.Services.GetRequiredService<ReminderService>();

    /// <summary>Starts a silo: <paramref name="grains"/> registers grain classes; <paramref name="settings"/> overrides configuration keys (e.g. "Billing:Runtime:CallTimeoutMs").</summary>
    public static async Task<TestSilo> StartAsync(
        TestDatabase database,
        Action<GrainRuntimeBuilder> grains,
        TimeProvider? time = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var configuration = new Dictionary<string, string?>
        {
            ["Billing:Storage"] = database.Storage,
            ["ConnectionStrings:Billing"] = database.ConnectionString,
            ["Billing:Runtime:SiloName"] = "test-silo",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        grains(builder.Services.AddGrainRuntime(builder.Configuration));
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    /// <summary>Graceful stop: accepted calls finish, activations deactivate, their writes complete.</summary>
    public async Task StopAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await host.StopAsync();
        await DisposeHostAsync();
    }

    /// <summary>A crash as storage sees it: activations vanish without OnDeactivateAsync or last writes; reminders stop.</summary>
    public async Task KillAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        Runtime.Abort();
        await Reminders.StopAsync();
        await DisposeHostAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task DisposeHostAsync()
    {
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
