using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Billing.Silo.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>What the grains give the modules below them: billing runs close shops through the shop grains.</summary>
    public static IServiceCollection AddBillingGrains(this IServiceCollection services)
    {
        services.TryAddSingleton<IShopBiller, GrainShopBiller>();
        return services;
    }

    /// <summary>
    /// Silos only: the queue the shops' reminder ticks feed (registered after the silo, so it stops
    /// before the silo does), and database failures turned into an exception that crosses silos.
    /// </summary>
    public static IServiceCollection AddReminderCloseQueue(this IServiceCollection services)
    {
        services.AddSingleton<ReminderCloseQueue>();
        services.AddSingleton<IIncomingGrainCallFilter, StorageFailureFilter>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderCloseQueue>());
        return services;
    }
}

/// <summary>Bills a shop through its grain, so a run and the shop's reminder never close the same period at once.</summary>
public sealed class GrainShopBiller(IGrainFactory grains) : IShopBiller
{
    public Task<ShopBillingResult> BillAsync(string shopId, CloseRequest request, CancellationToken cancellationToken) =>
        grains.Shop(shopId).BillAsync(request).WaitAsync(cancellationToken);
}
