namespace Billing.Silo.Api;

/// <summary>A request body as sent, for a webhook whose signature covers the exact bytes.</summary>
public static class RawBody
{
    /// <summary>The body, or null when it runs past <paramref name="maxBytes"/> (whatever Content-Length said).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
