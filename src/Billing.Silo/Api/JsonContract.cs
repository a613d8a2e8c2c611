using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Billing.Domain;

namespace Billing.Silo.Api;

/// <summary>
/// The one JSON contract of every request body the API reads (<see cref="JsonBody"/>): snake_case property
/// names matched exactly, numbers only as JSON numbers, unknown properties and duplicate properties refused.
/// A body that is not JSON at all is <c>invalid_json</c>; valid JSON that breaks the contract or has a value
/// of the wrong type is <c>invalid_request</c> naming the field. Webhooks read raw bytes (<see cref="RawBody"/>)
/// and parse third parties' JSON their own way: they stay tolerant of fields this contract would refuse.
/// </summary>
public static class JsonContract
{
    public const string BodyField = "body";

    /// <summary>
    /// Far deeper than any request (a price plan's tiers are at depth 4) or response; deeper input is refused, not parsed.
    /// The serializer applies it to the answers it writes too, hence the room.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>The API's serializer options, made strict where the web defaults are lenient.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = MaxDepth;
    }

    /// <summary>The 400 for a body the serializer refused: <c>invalid_json</c> when it is not JSON, else <c>invalid_request</c> naming the field.</summary>
    public static IResult Problem(ReadOnlySpan<byte> body, JsonException error, JsonTypeInfo root)
    {
        if (!IsWellFormed(body))
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_json", "Malformed JSON", $"The body is not valid JSON for this request (at {error.Path ?? "$"}).");
        }

        return Invalid(Describe(body, error.Path, root));
    }

    /// <summary>The 400 for a body that is the JSON literal <c>null</c>.</summary>
    public static IResult NullBody() => Invalid(new FieldError(BodyField, "the body must be a JSON object, not null"));

    private static IResult Invalid(FieldError error) => ApiProblem.Invalid("invalid_request", "Invalid request body", [error]);

    private static bool IsWellFormed(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Walks the error's path through the body and the request type's metadata to say what is wrong there.</summary>
    private static FieldError Describe(ReadOnlySpan<byte> body, string? path, JsonTypeInfo root)
    {
        var segments = JsonPath.Parse(path);
        if (segments is null || segments.Count == 0)
        {
            return new FieldError(BodyField, "the body must be a JSON object");
        }

        var field = JsonPath.Field(segments);
        using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        var node = document.RootElement;
        var type = root;
        for (var i = 0; i < segments.Count - 1 && type is not null; i++)
        {
            (node, type) = Step(node, type, segments[i]);
        }

        if (type is null)
        {
            return new FieldError(field, $"{field} is not valid here");
        }

        var last = segments[^1];
        if (last.Name is { } name)
        {
            if (type.Properties.FirstOrDefault(p => p.Name == name) is not { } property)
            {
                return new FieldError(field, $"received unknown parameter: {field}");
            }

            if (node.ValueKind == JsonValueKind.Object && node.EnumerateObject().Count(p => p.NameEquals(name)) > 1)
            {
                return new FieldError(field, $"{field} appears more than once");
            }

            return new FieldError(field, $"{field} must be {Expected(property.PropertyType)}");
        }

        return new FieldError(field, $"{field} must be {Expected(type.ElementType ?? typeof(object))}");
    }

    private static (JsonElement Node, JsonTypeInfo? Type) Step(JsonElement node, JsonTypeInfo type, JsonPath.Segment segment)
    {
        if (segment.Name is { } name)
        {
            var property = type.Properties.FirstOrDefault(p => p.Name == name);
            var child = node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var value) ? value : default;
            return (child, property is null ? null : type.Options.GetTypeInfo(property.PropertyType));
        }

        var item = node.ValueKind == JsonValueKind.Array && segment.Index < node.GetArrayLength() ? node[segment.Index] : default;
        return (item, type.ElementType is { } element ? type.Options.GetTypeInfo(element) : null);
    }

    /// <summary>The expected value in words, for the JSON types the request contracts use.</summary>
    internal static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(long) || type == typeof(int) || type == typeof(short) => "a whole number (a JSON number, not a string) in range",
            _ when type == typeof(decimal) || type == typeof(double) => "a number (a JSON number, not a string)",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date and time string, e.g. 2026-11-21T12:00:00Z",
            _ when type == typeof(DateOnly) => "an ISO 8601 date string, e.g. 2026-11-21",
            _ when type == typeof(Guid) => "a UUID string",
            _ when type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) => "an array",
            _ => "a JSON object",
        };
    }
}
