using System.Globalization;
using System.Text;

namespace Billing.Cli.Tests;

/// <summary>
/// Reads HTTP/1.1 requests one after another from a kept-alive connection: head up to the blank line, then exactly
/// Content-Length bytes of body. Chunked bodies are not supported (HttpClient sends a length for byte content).
/// </summary>
internal sealed class FakeRequestReader(Stream stream)
{
    private const int MaxHeadBytes = 16 * 1024;
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    private readonly byte[] buffer = new byte[MaxHeadBytes + MaxBodyBytes];
    private int filled;

    /// <summary>The next request, or null when the client closed the connection between requests.</summary>
    public async Task<FakeRequest?> ReadAsync(CancellationToken cancellationToken)
    {
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, filled).IndexOf(EndOfHead)) < 0)
        {
            if (filled >= MaxHeadBytes)
            {
                throw new InvalidDataException("request head too large");
            }

            if (!await FillAsync(cancellationToken))
            {
                return filled == 0 ? null : throw new InvalidDataException("connection closed inside a request head");
            }
        }

        var lines = Encoding.ASCII.GetString(buffer, 0, headEnd).Split("\r\n");
        var headers = ParseHeaders(lines);
        var length = headers.TryGetValue("content-length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        if (length is < 0 or > MaxBodyBytes || headers.ContainsKey("transfer-encoding"))
        {
            throw new InvalidDataException("unsupported request body");
        }

        var bodyStart = headEnd + EndOfHead.Length;
        while (filled < bodyStart + length)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new InvalidDataException("connection closed inside a request body");
            }
        }

        var body = buffer.AsSpan(bodyStart, length).ToArray();
        Consume(bodyStart + length);
        var parts = lines[0].Split(' ');
        return new FakeRequest(lines[0], parts[0], parts.Length > 1 ? parts[1].Split('?')[0] : "/", headers, body);
    }

    private static Dictionary<string, string> ParseHeaders(string[] lines)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
        filled += read;
        return read > 0;
    }

    // Keeps bytes of a following (pipelined) request at the front of the buffer.
    private void Consume(int count)
    {
        Buffer.BlockCopy(buffer, count, buffer, 0, filled - count);
        filled -= count;
    }
}
