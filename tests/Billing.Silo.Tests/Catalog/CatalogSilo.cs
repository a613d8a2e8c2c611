using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Api;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Catalog;

/// <summary>
/// The real silo over a test database, with a manual clock, a counted API key lookup, a captured
/// console, a known admin key (unless <c>adminKey</c> is null) and a test-only
/// <c>GET /test/whoami</c> route behind <c>RequireApiKey()</c>.
/// </summary>
internal sealed class CatalogSilo : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789-abcdefghijklmnop";

    /// <summary>Where the manual clock starts unless a test says otherwise.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly SiloFactory root;
    private readonly WebApplicationFactory<Program> factory;
    private readonly StringWriter console = new();

    private CatalogSilo(TestDatabase database, string? adminKey, Action<IServiceCollection>? configure, DateTimeOffset? now, IReadOnlyDictionary<string, string>? settings = null)
    {
        Time = new ManualTimeProvider(now ?? DefaultNow);
        root = new SiloFactory(database);
        factory = root.WithWebHostBuilder(builder =>
        {
            if (adminKey is not null)
            {
                builder.UseSetting("Billing:AdminKey", adminKey);
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                OrleansReminderClock.Register(services, Time);
                services.AddSingleton(new SiloConsole(TextWriter.Synchronized(console)));
                services.AddSingleton<IApiKeyLookup>(sp => new CountingLookup(sp.GetRequiredService<CatalogStore>(), this));
                services.AddTransient<IStartupFilter, WhoAmIRoute>();
                configure?.Invoke(services);
            });
        });
        Admin = factory.CreateClient();
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey ?? "unset");
    }

    public ManualTimeProvider Time { get; }

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient Admin { get; }

    public int Lookups => Volatile.Read(ref lookups);

    public string ConsoleOutput => console.ToString();

    public CatalogStore Store => factory.Services.GetRequiredService<CatalogStore>();

    public IServiceProvider Services => factory.Services;

    private int lookups;

    public static CatalogSilo Start(TestDatabase database, string? adminKey = AdminKey) => new(database, adminKey, null, null);

    /// <summary>With extra test services (registered last, so they replace the silo's) and a clock starting at <paramref name="now"/>.</summary>
    public static CatalogSilo Start(TestDatabase database, Action<IServiceCollection>? configure, DateTimeOffset? now = null) => new(database, AdminKey, configure, now);

    /// <summary>Also with configuration <paramref name="settings"/> (e.g. <c>Billing:Alerts:EvaluationIntervalMs</c>).</summary>
    public static CatalogSilo Start(TestDatabase database, Action<IServiceCollection>? configure, DateTimeOffset now, IReadOnlyDictionary<string, string> settings) =>
        new(database, AdminKey, configure, now, settings);

    public HttpClient CreateClient() => factory.CreateClient();

    /// <summary>The in-memory server, for requests HttpClient would not send as given (e.g. a header with an empty value).</summary>
    public TestServer Server => factory.Server;

    /// <summary>A client with its own redirect and cookie handling (the dashboard login tests read both themselves).</summary>
    public HttpClient CreateClient(WebApplicationFactoryClientOptions options) => factory.CreateClient(options);

    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await Admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        return await ReadAsync(response, expected);
    }

    public async Task<JsonElement> PostRawAsync(HttpClient client, string path, string body, string mediaType, HttpStatusCode expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, mediaType);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return await ReadAsync(response, expected);
    }

    public async Task<JsonElement> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await ReadAsync(response, expected);
    }

    /// <summary>A customer, a shop of it and a key of the shop: (customer id, shop id, key id, key).</summary>
    public async Task<(string CustomerId, string ShopId, string KeyId, string Key)> IssueKeyAsync()
    {
        var customer = await PostAsync("/api/v1/admin/customers", new { name = "Acme", email = "billing@acme.com" });
        var customerId = customer.GetProperty("id").GetString()!;
        var shop = await PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = "Web shop" });
        var shopId = shop.GetProperty("id").GetString()!;
        var key = await PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "production" });
        return (customerId, shopId, key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await root.DisposeAsync(); // disposes the derived factory and its host too
    }

    private sealed class CountingLookup(IApiKeyLookup inner, CatalogSilo owner) : IApiKeyLookup
    {
        public Task<StoredApiKey?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner.lookups);
            return inner.FindByPrefixAsync(prefix, cancellationToken);
        }
    }

    /// <summary>A route only tests have: it answers with the principal the API key filter stored.</summary>
    private sealed class WhoAmIRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseRouting();
            app.UseEndpoints(endpoints =>
                endpoints.MapGroup("/test").RequireApiKey().MapGet("/whoami", (HttpContext context) => context.GetApiKeyPrincipal()));
        };
    }
}
