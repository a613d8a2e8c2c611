using System.Text.Json;

namespace Billing.Cli.LoadTest;

/// <summary>Reads every customer's balance after the run, through each shop's own API key, a bounded number at once.</summary>
internal sealed class BalanceReader(SiloClient client, IReadOnlyList<ShopAccess> shops, TokenTally tally)
{
    private const string Path = "api/v1/billing/subscription";

    private int read;

    public int Read => Volatile.Read(ref read);

    public async Task<CustomerReading[]> ReadAllAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LoadTestSettings.MaxPassDuration);
        var readings = new CustomerReading[shops.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = LoadTestSettings.AdminConcurrency, CancellationToken = deadline.Token };
        await Parallel.ForEachAsync(Enumerable.Range(0, shops.Count), options, async (index, token) =>
        {
            readings[index] = await ReadOneAsync(index, token);
            Interlocked.Increment(ref read);
        });
        return readings;
    }

    private async Task<CustomerReading> ReadOneAsync(int index, CancellationToken cancellationToken)
    {
        var shop = shops[index];
        var reading = new CustomerReading(shop.CustomerId, tally.AcceptedBy(index), tally.UnansweredBy(index), null);
        var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.TryAddWithoutValidation("X-API-Key", shop.ApiKey);
        var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            return reading with { Problem = LoadTestAdminClient.Refused($"GET /{Path}", response).Message.TrimEnd('.') };
        }

        try
        {
            return reading with { Balance = JsonSerializer.Deserialize(response.Body, SiloJson.Default.SubscriptionResponse) };
        }
        catch (JsonException error)
        {
            return reading with { Problem = $"GET /{Path} answered an unreadable subscription: {error.Message}" };
        }
    }
}
