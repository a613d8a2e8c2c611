using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Billing.Silo.Tests.Hardening;

/// <summary>One mapped route: its method, its pattern ("/api/v1/admin/customers/{id}"), its parameters' names and whether it takes the admin key.</summary>
internal sealed record FuzzEndpoint(string Method, string Pattern, IReadOnlyList<string> Parameters, bool Admin);

/// <summary>What the fuzzer sends: everything needed to replay it by hand.</summary>
internal sealed record FuzzRequest(string Method, string Pattern, string PathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body)
{
    public override string ToString()
    {
        var headers = string.Concat(Headers.Select(h => $"{Environment.NewLine}  {h.Key}: {h.Value}"));
        var body = Body is null ? "(none)" : Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 500)]) + (Body.Length > 500 ? $"… ({Body.Length} bytes)" : "");
        return $"{Method} {PathAndQuery} (route {Pattern}){headers}{Environment.NewLine}  body: {body}";
    }
}

/// <summary>The ids and keys of the fuzzed silo's scenario: what a "valid-looking" value is drawn from.</summary>
internal sealed record FuzzWorld(IReadOnlyList<string> Ids, string CustomerKey, string OtherCustomerKey, string AdminKey);

/// <summary>
/// FsCheck generators of HTTP requests against the real route table: path segments, query strings,
/// bodies and headers that are valid, nearly valid, of the wrong type or plain garbage.
/// </summary>
internal static class FuzzRequests
{
    public const int MaxJsonDepth = 4;
    public const int MaxJsonMembers = 6;

    private static readonly string[] IdPrefixes = ["cus_", "shop_", "plan_", "key_", "inv_", "run_", "pay_", "pm_", "cn_", "opk_", "pp_"];

    private static readonly string[] FieldNames =
    [
        "tokens", "name", "email", "price", "currency", "plan_id", "time_zone", "events", "amount", "description", "endpoint", "method",
        "status_code", "occurred_at", "tokens_included", "duration_days", "is_recurring", "vat_rate", "reason", "dry_run", "period", "shop_id",
        "customer_id", "payment_method", "card", "role", "key", "items", "from", "to", "limit",
    ];

    private static readonly string[] QueryNames = ["limit", "after", "from", "to", "status", "customer_id", "shop_id", "q", "page", "format", "period", "month", "since", "x"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/problem+json", "application/xml", "x", "",
    ];

    public static Gen<FuzzRequest> Request(IReadOnlyList<FuzzEndpoint> endpoints, FuzzWorld world) =>
        from endpoint in Gen.Elements<FuzzEndpoint>(endpoints)
        from segments in Gen.ArrayOf(Segment(world), endpoint.Parameters.Count)
        from query in Query()
        from headers in Headers(world, endpoint.Admin)
        from body in Body()
        select new FuzzRequest(endpoint.Method, endpoint.Pattern, Fill(endpoint, segments) + query, headers, body);

    /// <summary>"/a/{id}/b/{x:int}" with its parameters replaced, in order, by <paramref name="segments"/>.</summary>
    private static string Fill(FuzzEndpoint endpoint, string[] segments)
    {
        var path = endpoint.Pattern;
        for (var i = 0; i < endpoint.Parameters.Count; i++)
        {
            var start = path.IndexOf('{', StringComparison.Ordinal);
            var end = path.IndexOf('}', start);
            path = string.Concat(path.AsSpan(0, start), segments[i], path.AsSpan(end + 1));
        }

        return path;
    }

    private static Gen<string> Segment(FuzzWorld world) => Gen.OneOf(
        Gen.Elements<string>(world.Ids),
        from prefix in Gen.Elements(IdPrefixes) from tail in Token() select prefix + tail,
        Token(),
        // No %00: the in-memory test server throws on it before the silo sees the request (it stays in query strings).
        Gen.Elements("..", "%2e%2e", "%2F", "%25", "%ZZ", "%C3%A9", "%F0%9F%92%B8", "caf%C3%A9", "-1", "0", "99999999999999999999", " ", "%20"),
        Gen.Choose(200, 5_000).Select(length => new string('a', length)),
        Gen.Elements("€", "日本", "💸", "a\u0301", "\u202e").Select(Uri.EscapeDataString));

    private static Gen<string> Token() =>
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~".ToCharArray()).ArrayOf().Select(chars => new string(chars));

    private static Gen<string> Query() =>
        from pairs in Gen.Choose(0, 4).SelectMany(count => Gen.ArrayOf(QueryPair(), count))
        select pairs.Length == 0 ? "" : "?" + string.Join("&", pairs);

    private static Gen<string> QueryPair() =>
        from name in Gen.OneOf(Gen.Elements(QueryNames), Token())
        from value in Gen.OneOf(
            Gen.Elements("", "0", "-1", "1", "1000000", "1e309", "2026-13", "2026-11", "2026-11-21", "2026-11-21T12:00:00Z", "true", "null", "%00", "%ZZ", "%C3%A9", "..%2F.."),
            Token(),
            Gen.Choose(1_000, 10_000).Select(length => new string('9', length)))
        select $"{Uri.EscapeDataString(name)}={value}";

    private static Gen<IReadOnlyList<KeyValuePair<string, string>>> Headers(FuzzWorld world, bool admin) =>
        // Mostly the endpoint's own key and JSON, so most requests get past authentication and content negotiation to the handlers.
        from auth in Gen.Frequency<KeyValuePair<string, string>?>(
            (6, admin
                ? Gen.Constant<KeyValuePair<string, string>?>(new("Authorization", $"Bearer {world.AdminKey}"))
                : Gen.Elements<KeyValuePair<string, string>?>(new("Authorization", $"Bearer {world.CustomerKey}"), new("X-API-Key", world.CustomerKey))),
            (3, Gen.Elements<KeyValuePair<string, string>?>(
                null,
                new("Authorization", $"Bearer {world.AdminKey}"),
                new("X-API-Key", world.CustomerKey),
                new("X-API-Key", world.OtherCustomerKey),
                new("X-API-Key", "bk_live_wrong0000000000000000000000"),
                new("Authorization", "Bearer "),
                new("Authorization", "Basic Zm9vOmJhcg=="),
                new("X-API-Key", ""))))
        from contentType in Gen.Frequency((4, Gen.Constant("application/json")), (3, Gen.Elements(ContentTypes)))
        from idempotency in Gen.Elements<string?>(null, null, "", " ", "req-0001", Guid.Empty.ToString(), new string('k', 300), "caf\u00e9", "a b")
        select (IReadOnlyList<KeyValuePair<string, string>>)[
            .. auth is { } a ? [a] : Array.Empty<KeyValuePair<string, string>>(),
            .. contentType.Length > 0 ? [new KeyValuePair<string, string>("Content-Type", contentType)] : Array.Empty<KeyValuePair<string, string>>(),
            .. idempotency is not null ? [new KeyValuePair<string, string>("Idempotency-Key", idempotency)] : Array.Empty<KeyValuePair<string, string>>(),
        ];

    private static Gen<byte[]?> Body() => Gen.Frequency(
        (2, Gen.Constant<byte[]?>(null)),
        (1, Gen.Constant<byte[]?>([])),
        (6, Json(MaxJsonDepth).Select(text => (byte[]?)Encoding.UTF8.GetBytes(text))),
        (3, KnownFields().Select(text => (byte[]?)Encoding.UTF8.GetBytes(text))),
        (1, Gen.Elements("{", "{\"tokens\":1} x", "\ufeff{}", "null", "[]", "\"x\"", "{\"a\":1,\"a\":2}").Select(text => (byte[]?)Encoding.UTF8.GetBytes(text))),
        (1, Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(bytes => (byte[]?)bytes)));

    /// <summary>An object of known field names with values of any type: wrong types, nulls, huge numbers, duplicates.</summary>
    private static Gen<string> KnownFields() =>
        from count in Gen.Choose(0, MaxJsonMembers)
        from members in Gen.ArrayOf(from name in Gen.Elements(FieldNames) from value in Json(2) select $"\"{name}\":{value}", count)
        select "{" + string.Join(",", members) + "}";

    /// <summary>Any JSON value, nested at most <paramref name="depth"/> deep.</summary>
    private static Gen<string> Json(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-1", "1.5", "1e400", "-0", "99999999999999999999999999999", "9223372036854775808", "\"\"", "\"2026-11-21T12:00:00Z\"", "\"EUR\"", "\"\\u0000\"", "\"\\ud800\""),
            Gen.Choose(int.MinValue, int.MaxValue).Select(n => n.ToString(CultureInfo.InvariantCulture)),
            Token().Select(text => $"\"{text}\""),
            Gen.Choose(1_000, 70_000).Select(length => $"\"{new string('x', length)}\""));
        if (depth == 0)
        {
            return scalar;
        }

        var member = from name in Gen.OneOf(Gen.Elements(FieldNames), Token()) from value in Json(depth - 1) select $"\"{name}\":{value}";
        return Gen.Frequency(
            (3, scalar),
            (2, Gen.Choose(0, MaxJsonMembers).SelectMany(n => Gen.ArrayOf(member, n)).Select(members => "{" + string.Join(",", members) + "}")),
            (1, Gen.Choose(0, MaxJsonMembers).SelectMany(n => Gen.ArrayOf(Json(depth - 1), n)).Select(items => "[" + string.Join(",", items) + "]")));
    }
}
