using System.Text.Json;
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

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblem.Create(
                StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type", "Send the body as application/json."));
        }

        var body = await ReadBoundedAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return (null, ApiProblem.Create(
                StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"The body must be at most {MaxBytes} bytes."));
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return JsonSerializer.Deserialize<T>(body.Value.Span, options) is { } value
                ? (value, null)
                : (null, InvalidJson("The body must be a JSON object, not null."));
        }
        catch (JsonException error)
        {
            // The path says which field is wrong; the serializer's own message would name .NET types.
            return (null, InvalidJson($"The body is not valid JSON for this request (at {error.Path ?? "$"})."));
        }
    }

    private static IResult InvalidJson(string detail) =>
        ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_json", "Malformed JSON", detail);

    /// <summary>The whole body, or null when it is longer than <see cref="MaxBytes"/> (reading stops there).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            // Not a conditional expression: there, null would convert to an empty Memory through byte[].
            return null;
        }

        return new ReadOnlyMemory<byte>(buffer, 0, length);
    }
}
