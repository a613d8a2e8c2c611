using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Billing.Contracts.Runs;

namespace Billing.Cli.Scheduler;

/// <summary>The silo answered with a refusal or an error status; the message is one line for stderr.</summary>
internal sealed class SchedulerRefusedException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>401/403 and other 4xx are refusals (exit 4); a 5xx says the silo is unwell (exit 1).</summary>
    public static SchedulerRefusedException From(string call, SiloResponse response) => (int)response.StatusCode switch
    {
        401 or 403 => new($"{response.Refusal(call)} Check --admin-key or ${Commands.AdminKeyOption.EnvironmentVariable}.", ExitCodes.Refused),
        >= 500 => new(response.Refusal(call), ExitCodes.Unhealthy),
        _ => new(response.Refusal(call), ExitCodes.Refused),
    };
}

/// <summary>A reply read into its type, with the body kept as sent for <c>--json</c>.</summary>
internal sealed record Reply<T>(T Value, string Body);

/// <summary>How a run started: its id, or, when the silo finished it at once and answered 200, the finished run.</summary>
internal sealed record RunStart(string RunId, Reply<RunResponse>? Finished);

/// <summary>Calls to the silo's billing scheduler API: bearer admin key, snake_case JSON, anything but 2xx thrown.</summary>
internal sealed class SchedulerApi(SiloClient client, string adminKey)
{
    private const string Root = "api/billing-scheduler";

    private readonly AdminCalls calls = new(client, adminKey, SchedulerRefusedException.From);
    private readonly string displayUrl = client.DisplayUrl;

    public async Task<RunStart> StartRunAsync(ProcessMonthlyBillingRequest body, CancellationToken cancellationToken)
    {
        var path = $"{Root}/process-monthly-billing";
        var response = await calls.SendAsync(HttpMethod.Post, path, AdminCalls.Json(body, SiloJson.Default.ProcessMonthlyBillingRequest), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return new RunStart(Read(path, response, SiloJson.Default.RunStartedResponse, "run start").RunId, null);
        }

        var finished = new Reply<RunResponse>(Read(path, response, SiloJson.Default.RunResponse, "run result"), response.Body);
        return new RunStart(finished.Value.RunId, finished);
    }

    public Task<Reply<RunResponse>> GetRunAsync(string runId, CancellationToken cancellationToken) =>
        ExchangeAsync(HttpMethod.Get, $"{Root}/runs/{Uri.EscapeDataString(runId)}", null, SiloJson.Default.RunResponse, "run result", cancellationToken);

    public Task<Reply<RunResponse>> ProcessShopAsync(string shopId, ProcessShopBillingRequest body, CancellationToken cancellationToken) => ExchangeAsync(
        HttpMethod.Post, $"{Root}/process-shop-billing/{Uri.EscapeDataString(shopId)}", AdminCalls.Json(body, SiloJson.Default.ProcessShopBillingRequest),
        SiloJson.Default.RunResponse, "run result", cancellationToken);

    public Task<Reply<SchedulerStatusResponse>> GetStatusAsync(CancellationToken cancellationToken) =>
        ExchangeAsync(HttpMethod.Get, $"{Root}/status", null, SiloJson.Default.SchedulerStatusResponse, "scheduler status", cancellationToken);

    private async Task<Reply<T>> ExchangeAsync<T>(
        HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        var response = await calls.SendAsync(method, path, content, cancellationToken);
        return new Reply<T>(Read(path, response, type, what), response.Body);
    }

    // A 2xx that is not the contract's shape is "not what a silo sends", like a health reply without a report.
    private T Read<T>(string path, SiloResponse response, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type)
                ?? throw new JsonException("the reply is null");
        }
        catch (JsonException error)
        {
            throw new SiloUnreachableException(
                $"{displayUrl}/{path} answered HTTP {(int)response.StatusCode} without a readable {what} ({error.Message}); is --url a billing silo?", error);
        }
    }
}
