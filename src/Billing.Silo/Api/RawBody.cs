using System.Buffers;
using System.Runtime.CompilerServices;

namespace Billing.Silo.Api;

/// <summary>A request body as sent, for a webhook whose signature covers the exact bytes.</summary>
public static class RawBody
{
    /// <summary>The body, or null when it runs past <paramref name="maxBytes"/> (whatever Content-Length said); read as <see cref="JsonBody"/> reads.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = new StrongBox<byte[]>(ArrayPool<byte>.Shared.Rent(JsonBody.InitialBufferBytes(request, maxBytes)));
        try
        {
            var length = await JsonBody.ReadBoundedAsync(request.Body, maxBytes, buffer, cancellationToken);
            return length is { } read ? buffer.Value.AsSpan(0, read).ToArray() : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer.Value!);
        }
    }
}
