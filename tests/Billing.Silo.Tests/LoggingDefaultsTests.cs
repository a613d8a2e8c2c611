using Billing.Silo.Hosting;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Silo.Tests;

public sealed class LoggingDefaultsTests
{
    [Fact]
    public async Task PollysPerCallTelemetryIsOffButItsWarningsStayOnUnderTheShippedAppSettings()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var factory = new SiloFactory(database);
        using var client = factory.CreateClient();
        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();

        var polly = loggers.CreateLogger(SiloHostingExtensions.PollyLogCategory);
        var billing = loggers.CreateLogger("Billing.Silo.Grains.ShopGrain");

        // Orleans' AdoNet providers log two Information lines per reminder or storage call through it.
        Assert.False(polly.IsEnabled(LogLevel.Information));
        Assert.True(polly.IsEnabled(LogLevel.Warning));
        // appsettings.json's "Default": "Information" still holds for the product's own categories.
        Assert.True(billing.IsEnabled(LogLevel.Information));
    }
}
