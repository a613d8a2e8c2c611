using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Browser.Tests;

/// <summary>
/// The silo in the test process on a manual clock, for what must have happened in the past (a shop
/// that lived through last month) before the silo process, on real time, bills it.
/// </summary>
internal sealed class ConsoleSetupHost(TestDatabase database, string adminKey, DateTimeOffset now) : WebApplicationFactory<Program>
{
    public ManualTimeProvider Time { get; } = new(now);

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return client;
    }

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Billing:Storage", database.Storage);
        builder.UseSetting("ConnectionStrings:Billing", database.ConnectionString);
        builder.UseSetting("Billing:AdminKey", adminKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in FreePorts.SiloSettings("console-setup"))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            OrleansReminderClock.Register(services, Time);
        });
    }
}
