using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Billing.Cli.Tests;

/// <summary>A one-route fake silo on 127.0.0.1 that sends a canned reply to every request, or never replies.</summary>
internal sealed class FakeSilo : IAsyncDisposable
{
    private readonly FakeHttpServer server;

    private FakeSilo(Func<FakeRequest, CancellationToken, Task<FakeResponse>> handler) => server = new FakeHttpServer(handler);

    public Uri Url => server.Url;

    /// <summary>Request lines received so far, e.g. "GET /health HTTP/1.1".</summary>
    public ConcurrentQueue<string> RequestLines => server.RequestLines;

    public static FakeSilo Replying(int statusCode, string body, string contentType = "application/json") =>
        new((_, _) => Task.FromResult(new FakeResponse(statusCode, body, contentType, Close: true)));

    /// <summary>Accepts connections and reads requests but never answers, to exercise the client's deadline.</summary>
    public static FakeSilo NeverReplying() => new(async (_, stopping) =>
    {
        await Task.Delay(Timeout.Infinite, stopping);
        return new FakeResponse(200, "");
    });

    /// <summary>A loopback port with nothing listening on it (free when checked; nothing in these tests takes it after).</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
