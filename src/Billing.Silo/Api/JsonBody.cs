using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Api;

/// <summary>
/// Reads a JSON request body in the handler rather than by parameter binding, so that malformed
/// JSON, a wrong media type or an oversized body become clear ProblemDetails (not an empty 400),
/// and so that authentication filters have run before any byte of the body is read.
/// </summary>
public static class JsonBody
{
    /// <summary>Catalog requests are a few hundred bytes; nothing near this is legitimate.</summary>
    public const int MaxBytes = 64 * 1024;

    public static Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, int maxBytes = MaxBytes)
        where T : class =>
        ReadAsync<T>(request, whenEmpty: null, cancellationToken, maxBytes);

    /// <summary>
    /// For a request whose fields are all optional: no body at all (whatever the Content-Type, or none) reads as
    /// <paramref name="whenEmpty"/>, the empty object; any body is read as <see cref="ReadAsync{T}(HttpRequest, CancellationToken, int)"/> reads it.
    /// </summary>
    public static Task<(T? Value, IResult? Problem)> ReadOptionalAsync<T>(HttpRequest request, T whenEmpty, CancellationToken cancellationToken, int maxBytes = MaxBytes)
        where T : class =>
        ReadAsync(request, whenEmpty, cancellationToken, maxBytes);

    private static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, T? whenEmpty, CancellationToken cancellationToken, int maxBytes)
        where T : class
    {
        // Without an empty reading the media type is checked before a byte is read; with one, only once there are bytes.
        if (whenEmpty is null && !request.HasJsonContentType())
        {
            return (null, UnsupportedMediaType());
        }

        var buffer = new StrongBox<byte[]>(ArrayPool<byte>.Shared.Rent(InitialBufferBytes(request, maxBytes)));
        try
        {
            var length = await ReadBoundedAsync(request.Body, maxBytes, buffer, cancellationToken);
            if (length is null)
            {
                return (null, ApiProblem.Create(
                    StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"The body must be at most {maxBytes} bytes."));
            }

            if (length == 0 && whenEmpty is not null)
            {
                return (whenEmpty, null);
            }

            if (!request.HasJsonContentType())
            {
                return (null, UnsupportedMediaType());
            }

            var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            return Deserialize<T>(buffer.Value.AsSpan(0, length.Value), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer.Value!);
        }
    }

    private static (T? Value, IResult? Problem) Deserialize<T>(ReadOnlySpan<byte> body, JsonSerializerOptions options)
        where T : class
    {
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) is { } value ? (value, null) : (null, JsonContract.NullBody());
        }
        catch (JsonException error)
        {
            // The serializer's own message would name .NET types; the contract names the field.
            return (null, JsonContract.Problem(body, error, typeInfo));
        }
    }

    private static IResult UnsupportedMediaType() =>
        ApiProblem.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type", "Send the body as application/json.");

    // Content-Length, when sent and plausible, sizes the first buffer; otherwise start small and grow.
    internal static int InitialBufferBytes(HttpRequest request, int maxBytes) =>
        request.ContentLength is { } length && length <= maxBytes ? (int)length + 1 : Math.Min(4_096, maxBytes + 1);

    /// <summary>Reads the whole body into a pooled buffer that grows as needed; null when it is longer than <paramref name="maxBytes"/> (reading stops there).</summary>
    internal static async Task<int?> ReadBoundedAsync(Stream body, int maxBytes, StrongBox<byte[]> buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Value!.Length)
            {
                if (length > maxBytes)
                {
                    return null;
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Value.Length * 2, maxBytes + 1));
                buffer.Value.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer.Value);
                buffer.Value = larger;
            }

            var read = await body.ReadAsync(buffer.Value.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return length > maxBytes ? null : length;
            }

            length += read;
        }
    }
}
