using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Billing.Cli.Commands;

namespace Billing.Cli;

/// <summary>A reply from the silo, whatever its status code: callers decide what a 503 means for them.</summary>
internal sealed record SiloResponse(HttpStatusCode StatusCode, string Body)
{
    /// <summary>"POST /x answered 401 (Unauthorized: bad admin key)." from a problem-details reply, or the bare status otherwise.</summary>
    public string Refusal(string call)
    {
        var status = ((int)StatusCode).ToString(CultureInfo.InvariantCulture);
        return HealthReply.TryParseProblem(Body, out var problem) ? $"{call} answered {status} ({problem})." : $"{call} answered {status}.";
    }
}

/// <summary>The silo gave no usable answer; the message is one line fit for stderr.</summary>
internal sealed class SiloUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Thin HTTP client for the silo API. Every request has a deadline, and network failures become one readable
/// <see cref="SiloUnreachableException"/> instead of a stack trace.
/// </summary>
internal sealed class SiloClient : IDisposable
{
    // Most silo replies are small JSON; the cap stops a misdirected --url from buffering something huge.
    public const int DefaultMaxResponseBytes = 1024 * 1024;

    private readonly HttpClient http;
    private readonly TimeSpan timeout;

    public SiloClient(
        Uri baseUrl, TimeSpan timeout, HttpMessageHandler? handler = null, bool disposeHandler = true, int maxResponseBytes = DefaultMaxResponseBytes)
    {
        BaseUrl = baseUrl;
        this.timeout = timeout;
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler);
        // A trailing slash keeps a path prefix (http://proxy/billing/) when relative paths are resolved against it.
        http.BaseAddress = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/");
        http.MaxResponseContentBufferSize = maxResponseBytes;
        // The deadline below covers connect, headers and body together; HttpClient's own 100 s default would only get in the way.
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public Uri BaseUrl { get; }

    /// <summary>The base URL as people write it: no trailing slash.</summary>
    public string DisplayUrl => BaseUrl.AbsoluteUri.TrimEnd('/');

    /// <summary>An absolute URI for a path relative to the base URL, keeping any path prefix the base URL has.</summary>
    public Uri Resolve(string relativePath) => new(http.BaseAddress!, relativePath);

    public Task<SiloResponse> GetAsync(string relativePath, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, relativePath), cancellationToken);

    /// <summary>Sends a request (its URI relative to the base URL) and disposes it; the deadline covers the whole exchange.</summary>
    public async Task<SiloResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var owned = request;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(owned, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return new SiloResponse(response.StatusCode, body);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {timeout.TotalMilliseconds:0} ms", error);
        }
        catch (HttpRequestException error)
        {
            throw Unreachable(Describe(error), error);
        }
    }

    public void Dispose() => http.Dispose();

    private SiloUnreachableException Unreachable(string reason, Exception inner) =>
        new($"cannot reach {DisplayUrl}: {reason}", inner);

    // The socket error ("Connection refused") says what went wrong; HttpRequestException wraps it with noise.
    private static string Describe(HttpRequestException error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.Message;
            }
        }

        return error.InnerException?.Message ?? error.Message;
    }
}
