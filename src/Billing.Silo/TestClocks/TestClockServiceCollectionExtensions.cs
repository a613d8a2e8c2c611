using Billing.Silo.Configuration;

namespace Billing.Silo.TestClocks;

public static class TestClockServiceCollectionExtensions
{
    /// <summary>Test clocks: their store, and each customer's time (the silo's, or its clock's).</summary>
    public static IServiceCollection AddTestClocks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TestClockOptions>(configuration.GetSection(TestClockOptions.SectionName), o => o.Validate());
        services.AddSingleton<TestClockStore>();
        services.AddSingleton<CustomerClocks>();
        return services;
    }
}
