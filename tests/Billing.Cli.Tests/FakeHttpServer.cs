using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Billing.Cli.Tests;

internal sealed record FakeRequest(string Line, string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

internal sealed record FakeResponse(int StatusCode, string Body, string ContentType = "application/json", bool Close = false);

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 with keep-alive, for fakes of the silo. Raw TCP rather than HttpListener:
/// binding port 0 hands out a free port with no find-then-bind race. Bounded in everything: connections at once and
/// in total, requests per connection, head and body sizes, and its own lifetime.
/// </summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private const int MaxOpenConnections = 256;
    private const int MaxAcceptedConnections = 100_000;
    private const int MaxRequestsPerConnection = 10_000_000;
    private const int MaxRecordedLines = 1000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new(Lifetime);
    private readonly Func<FakeRequest, CancellationToken, Task<FakeResponse>> handler;
    private readonly ConcurrentDictionary<int, Task> connections = new();
    private readonly Task accepting;

    public FakeHttpServer(Func<FakeRequest, CancellationToken, Task<FakeResponse>> handler)
    {
        this.handler = handler;
        listener.Start();
        accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    /// <summary>The first request lines received, e.g. "GET /health HTTP/1.1".</summary>
    public ConcurrentQueue<string> RequestLines { get; } = new();

    /// <summary>Exceptions thrown by the handler; each was answered with a 500.</summary>
    public ConcurrentQueue<Exception> Faults { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await Task.WhenAll([accepting, .. connections.Values]).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(5));
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        for (var accepted = 0; accepted < MaxAcceptedConnections && !stopping.IsCancellationRequested; accepted++)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            if (connections.Count >= MaxOpenConnections)
            {
                client.Dispose();
                continue;
            }

            var id = accepted;
            connections[id] = Task.Run(async () =>
            {
                await ServeConnectionAsync(client);
                connections.TryRemove(id, out _);
            });
        }
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        using var owned = client;
        var stream = client.GetStream();
        var reader = new FakeRequestReader(stream);
        try
        {
            for (var served = 0; served < MaxRequestsPerConnection; served++)
            {
                var request = await reader.ReadAsync(stopping.Token);
                if (request is null)
                {
                    return;
                }

                if (RequestLines.Count < MaxRecordedLines)
                {
                    RequestLines.Enqueue(request.Line);
                }

                var response = await AnswerAsync(request);
                await stream.WriteAsync(Encode(response), stopping.Token);
                if (response.Close || string.Equals(request.Header("connection"), "close", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or InvalidDataException)
        {
            // The client hung up, the server is stopping, or the request was malformed: this connection is done.
        }
    }

    private async Task<FakeResponse> AnswerAsync(FakeRequest request)
    {
        try
        {
            return await handler(request, stopping.Token);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Faults.Enqueue(error);
            return new FakeResponse(500, """{"title":"Fake handler failed","code":"internal"}""");
        }
    }

    private static byte[] Encode(FakeResponse response)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        var connection = response.Close ? "close" : "keep-alive";
        var head = $"HTTP/1.1 {response.StatusCode} Fake\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: {connection}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
