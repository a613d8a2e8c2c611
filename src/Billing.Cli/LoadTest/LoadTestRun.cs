using System.Globalization;
using System.Net;
using System.Text.Json;
using Billing.Contracts.Metering;

namespace Billing.Cli.LoadTest;

/// <summary>
/// One <c>billing loadtest</c>: provision shops, drive the consume endpoint and then the bare parse endpoint with the
/// same workers, check token conservation, print the report. Progress goes to stderr, the report alone to stdout.
/// </summary>
internal sealed class LoadTestRun(LoadTestSettings settings, TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    private const string ConsumePath = "api/v1/billing/tokens/consume";
    private const string BarePath = "api/v1/loadtest/parse";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var handler = CreateHandler(settings.Connections);
        using var client = new SiloClient(settings.Url, LoadTestSettings.RequestTimeout, handler, disposeHandler: false);
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = LoadTestSettings.RequestTimeout };
        try
        {
            var report = await MeasureAsync(client, http, cancellationToken);
            await stdout.WriteAsync(settings.Json ? JsonSerializer.Serialize(report, LoadTestJson.Default.LoadTestReport) + "\n" : report.ToText());
            return report.Conservation.Ok ? ExitCodes.Ok : ExitCodes.ConservationBroken;
        }
        catch (SiloUnreachableException error)
        {
            await stderr.WriteLineAsync($"billing: {error.Message}");
            return ExitCodes.Unreachable;
        }
        catch (LoadTestSetupException error)
        {
            await stderr.WriteLineAsync($"billing: loadtest setup failed: {error.Message}");
            return ExitCodes.Refused;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"billing: loadtest gave up: setup or the balance check took longer than {LoadTestSettings.MaxPassDuration.TotalMinutes:0} minutes.");
            return ExitCodes.Unreachable;
        }
    }

    // One pool for setup, load and checks. No redirects and no proxy: requests go to --url and nowhere else.
    private static SocketsHttpHandler CreateHandler(int connections) => new()
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    };

    private async Task<LoadTestReport> MeasureAsync(SiloClient client, HttpClient http, CancellationToken cancellationToken)
    {
        var setupStarted = time.GetTimestamp();
        var shops = await ProvisionAsync(client, cancellationToken);
        var setupSeconds = Math.Round(time.GetElapsedTime(setupStarted).TotalSeconds, 3);

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ConsumeRequest(settings.TokensPerCall, "loadtest", "/v1/chat", "POST", 200), SiloJson.Default.ConsumeRequest);
        var sender = new TrafficSender(http, body, settings.AdminKey);
        var tally = new TokenTally(shops.Length);
        var picker = new ShopPicker(shops.Length, settings.Connections, settings.Seed);
        var consume = new ConsumeTraffic(sender, client.Resolve(ConsumePath), [.. shops.Select(s => s.ApiKey)], picker, tally, settings.TokensPerCall);
        var bareUri = client.Resolve(BarePath);

        var runner = new SegmentRunner(settings.Connections, time);
        var consumed = PhaseReport.From(await RunPhaseAsync(runner, "consume", consume.SendAsync, cancellationToken));
        var bare = PhaseReport.From(await RunPhaseAsync(runner, "bare", (_, token) => sender.PostAsync(bareUri, null, token), cancellationToken));
        var conservation = ConservationReport.Evaluate(await ReadBalancesAsync(client, shops, tally, cancellationToken));

        return new LoadTestReport(
            client.DisplayUrl, settings.Shops, settings.Connections, settings.DurationSeconds, settings.WarmupSeconds, settings.TokensPerCall,
            setupSeconds, consumed, bare, LoadTestReport.Ratio(consumed, bare), conservation);
    }

    private async Task<ShopAccess[]> ProvisionAsync(SiloClient client, CancellationToken cancellationToken)
    {
        var runTag = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var provisioner = new ShopProvisioner(new LoadTestAdminClient(client, settings.AdminKey), settings, runTag);
        await using var progress = ProgressLine.Start(stderr, time, "setup", "shops", () => provisioner.Provisioned);
        return await provisioner.ProvisionAsync(cancellationToken);
    }

    private async Task<CustomerReading[]> ReadBalancesAsync(SiloClient client, ShopAccess[] shops, TokenTally tally, CancellationToken cancellationToken)
    {
        var reader = new BalanceReader(client, shops, tally);
        await using var progress = ProgressLine.Start(stderr, time, "conservation", "balances", () => reader.Read);
        return await reader.ReadAllAsync(cancellationToken);
    }

    // A warm-up runs exactly like the measured segment but its figures are dropped (its tokens still count in the tally).
    private async Task<SegmentResult> RunPhaseAsync(SegmentRunner runner, string phase, SendOnce send, CancellationToken cancellationToken)
    {
        if (settings.WarmupSeconds > 0)
        {
            await RunSegmentAsync(runner, $"{phase} warm-up", settings.Warmup, send, cancellationToken);
        }

        return await RunSegmentAsync(runner, phase, settings.Duration, send, cancellationToken);
    }

    private async Task<SegmentResult> RunSegmentAsync(SegmentRunner runner, string stage, TimeSpan length, SendOnce send, CancellationToken cancellationToken)
    {
        var recorder = new SegmentRecorder(settings.MaxRequests);
        await using var progress = ProgressLine.Start(stderr, time, stage, "requests", () => recorder.Completed, () => recorder.Failures);
        return await runner.RunAsync(recorder, length, send, cancellationToken);
    }
}
