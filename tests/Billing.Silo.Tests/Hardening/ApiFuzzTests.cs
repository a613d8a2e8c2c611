using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Billing.Silo.Dashboard;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Hardening;

/// <summary>
/// Random requests against every mapped endpoint (issue 13): none may answer 5xx, and every API
/// error is a ProblemDetails with a <c>code</c>. Replay a run with <c>BILLING_FUZZ_SEED=&lt;seed&gt;</c>.
/// </summary>
/// <remarks>
/// Exclusions: the dashboard's and the console's pages (and /docs) answer HTML and redirect to their
/// login; there only a JSON error body must be a problem. The dashboard's trace is a stream that never
/// ends, so it is left out; the load-test endpoint is off by default, so unmapped.
/// </remarks>
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    public const string SeedVariable = "BILLING_FUZZ_SEED";
    private const int Requests = 400;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    // Rnd's gamma must be odd; any fixed odd constant works.
    private const ulong Gamma = 0x9E37_79B9_7F4A_7C15UL;

    private static readonly string[] HtmlAreas = [DashboardPaths.Root, "/console", "/docs"];

    private static readonly string[] Streams = [DashboardPaths.Root + "/Trace"];

    // Routes that take the admin key (or an operator's session); the rest take a customer's API key or none.
    private static readonly string[] AdminAreas = ["/api/v1/admin", "/api/billing-scheduler", DashboardPaths.Root, "/console"];

    [Fact]
    public async Task NoRequestIsAnswered5xxAndEveryApiErrorIsAProblemWithACode()
    {
        var seed = Seed();
        output.WriteLine($"{SeedVariable}={seed}");
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (customerId, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        var (otherCustomerId, otherShopId, otherKey) = await BillingScenario.CustomerAsync(silo, "UTC", "Other");
        var world = new FuzzWorld([customerId, shopId, otherCustomerId, otherShopId], key, otherKey, CatalogSilo.AdminKey);
        var endpoints = Endpoints(silo.Services);
        using var client = silo.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var statuses = new SortedDictionary<int, int>();
        string? failure = null;

        var property = Prop.ForAll(FuzzRequests.Request(endpoints, world).ToArbitrary(), request =>
        {
            var (status, problem) = SendAsync(client, request).GetAwaiter().GetResult();
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            failure ??= problem is null ? null : $"{problem}{Environment.NewLine}{request}";
            return problem is null;
        });
        var config = Config.QuickThrowOnFailure
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, Gamma), FSharpOption<int>.None)))
            .WithMaxTest(Requests)
            .WithQuietOnSuccess(true);
        // FsCheck runs the property synchronously; off the test's synchronisation context, blocking on a request cannot deadlock.
        var error = await Task.Run(() => Record.Exception(() => Check.One(nameof(ApiFuzzTests), config, property)));

        output.WriteLine($"{statuses.Values.Sum()} requests over {endpoints.Count} endpoints; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(error is null, $"Fuzzing failed; replay with {SeedVariable}={seed}:{Environment.NewLine}{failure ?? error?.ToString()}");
    }

    /// <summary>The suite's own seed, so the suite gates on the same 400 requests every run.</summary>
    public const ulong SuiteSeed = 20_261_207;

    /// <summary>
    /// <see cref="SeedVariable"/>: a number replays that run, <c>random</c> explores with a fresh seed
    /// (printed, so a failure can be replayed); unset, the suite's own seed.
    /// </summary>
    private static ulong Seed() =>
        Environment.GetEnvironmentVariable(SeedVariable) switch
        {
            null or "" => SuiteSeed,
            "random" => (ulong)Random.Shared.NextInt64(1, long.MaxValue),
            var text => ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture),
        };

    /// <summary>Every route of the real route table with an HTTP method, as (method, pattern, parameters).</summary>
    private static List<FuzzEndpoint> Endpoints(IServiceProvider services)
    {
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method =>
                new FuzzEndpoint(method, "/" + e.RoutePattern.RawText!.TrimStart('/'), [.. e.RoutePattern.Parameters.Select(p => p.Name)], false)))
            .Select(e => e with { Admin = AdminAreas.Any(area => e.Pattern.StartsWith(area, StringComparison.Ordinal)) })
            .Where(e => !Streams.Contains(e.Pattern, StringComparer.Ordinal))
            .DistinctBy(e => (e.Method, e.Pattern))
            .OrderBy(e => e.Method + " " + e.Pattern, StringComparer.Ordinal)
            .ToList();
        Assert.True(endpoints.Count > 80, $"only {endpoints.Count} endpoints found: is the route table read after start?");
        return endpoints;
    }

    /// <summary>Sends <paramref name="request"/>: its status, and why the answer breaks the contract (null when it does not).</summary>
    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.PathAndQuery, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (name == "Content-Type")
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = new CancellationTokenSource(RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (0, $"no answer within {RequestTimeout.TotalSeconds} s or the server threw: {ex}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return (status, Breach(request, status, response.Content.Headers.ContentType, body));
        }
    }

    private static string? Breach(FuzzRequest request, int status, MediaTypeHeaderValue? contentType, string body)
    {
        if (status >= 500)
        {
            return $"answered {status}: {body}";
        }

        var json = contentType?.MediaType is { } media && (media.EndsWith("/json", StringComparison.Ordinal) || media.EndsWith("+json", StringComparison.Ordinal));
        var htmlArea = HtmlAreas.Any(area => request.Pattern.StartsWith(area, StringComparison.Ordinal));
        if (status < 400 || (htmlArea && !json))
        {
            return null;
        }

        if (!json)
        {
            return $"answered {status} with {contentType?.ToString() ?? "no content type"}, not a problem: {body}";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0
                && document.RootElement.TryGetProperty("status", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == status
                ? null
                : $"answered {status} with a JSON body that is not a problem with a code: {body}";
        }
        catch (JsonException)
        {
            return $"answered {status} with a body that is not JSON: {body}";
        }
    }
}
