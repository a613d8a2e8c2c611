using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Billing.Cli.Tests;

/// <summary>
/// A one-route HTTP server on 127.0.0.1 that sends a canned reply. Raw TCP rather than HttpListener: binding port 0
/// hands out a free port with no find-then-bind race.
/// </summary>
internal sealed class FakeSilo : IAsyncDisposable
{
    private const int MaxRequestHeadBytes = 16 * 1024;

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly int statusCode;
    private readonly string body;
    private readonly string contentType;
    private readonly bool silent;
    private readonly Task serving;

    private FakeSilo(int statusCode, string body, string contentType, bool silent)
    {
        this.statusCode = statusCode;
        this.body = body;
        this.contentType = contentType;
        this.silent = silent;
        listener.Start();
        serving = ServeAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    /// <summary>Request lines received so far, e.g. "GET /health HTTP/1.1".</summary>
    public ConcurrentQueue<string> RequestLines { get; } = new();

    public static FakeSilo Replying(int statusCode, string body, string contentType = "application/json") =>
        new(statusCode, body, contentType, silent: false);

    /// <summary>Accepts connections and reads requests but never answers, to exercise the client's deadline.</summary>
    public static FakeSilo NeverReplying() => new(200, "", "application/json", silent: true);

    /// <summary>A loopback port with nothing listening on it (free when checked; nothing in these tests takes it after).</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try
        {
            await serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Expected: stopping cancels the pending accept or the silent wait.
        }

        stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            using var connection = await listener.AcceptTcpClientAsync(stopping.Token);
            try
            {
                await ServeOneAsync(connection.GetStream());
            }
            catch (IOException)
            {
                // The client hung up first (for instance after its own deadline); keep serving the next one.
            }
        }
    }

    private async Task ServeOneAsync(NetworkStream stream)
    {
        RequestLines.Enqueue(await ReadRequestLineAsync(stream));
        if (silent)
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(Response()), stopping.Token);
    }

    private string Response()
    {
        var content = Encoding.UTF8.GetByteCount(body);
        return $"HTTP/1.1 {statusCode} Canned\r\nContent-Type: {contentType}\r\nContent-Length: {content}\r\nConnection: close\r\n\r\n{body}";
    }

    // Reads up to the blank line that ends the request head; GET has no body, so that is the whole request.
    private async Task<string> ReadRequestLineAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (head.Length < MaxRequestHeadBytes && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, stopping.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString().Split("\r\n")[0];
    }
}
