using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Billing.Silo.Dashboard;

/// <summary>
/// The dashboard's session cookie: <c>v1.&lt;expiry, unix seconds&gt;.&lt;HMAC-SHA-256 of both, base64url&gt;</c>.
/// It holds no key and no state: any silo that can derive the signing key checks it, so a load
/// balancer may send each request to a different silo.
/// </summary>
public static class DashboardSessionToken
{
    private const string Version = "v1";

    // "v1." + 19 digits + "." + 43 characters of MAC, with room to spare; anything longer is not ours.
    private const int MaxLength = 96;

    public static string Issue(ReadOnlySpan<byte> signingKey, DateTimeOffset expiresAt)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{Version}.{expiresAt.ToUnixTimeSeconds()}");
        return $"{payload}.{Base64Url.EncodeToString(Mac(signingKey, payload))}";
    }

    /// <summary>
    /// Signed with <paramref name="signingKey"/>, not yet expired at <paramref name="now"/>, and
    /// expiring within <paramref name="longestLifetime"/> of it (so shortening the lifetime ends
    /// longer sessions too).
    /// </summary>
    public static bool IsValid(string? token, ReadOnlySpan<byte> signingKey, DateTimeOffset now, TimeSpan longestLifetime)
    {
        if (token is null || token.Length > MaxLength)
        {
            return false;
        }

        var lastDot = token.LastIndexOf('.');
        var payload = lastDot > 0 ? token[..lastDot] : "";
        var parts = payload.Split('.');
        if (parts is not [Version, var expiry]
            || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAtSeconds))
        {
            return false;
        }

        // Checked first: decoding throws on characters outside base64url, and the cookie is the caller's.
        var mac = token.AsSpan(lastDot + 1);
        if (!Base64Url.IsValid(mac, out var macLength) || macLength != HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Base64Url.DecodeFromChars(mac, presented);
        if (!CryptographicOperations.FixedTimeEquals(presented, Mac(signingKey, payload)))
        {
            return false;
        }

        var remainingSeconds = expiresAtSeconds - now.ToUnixTimeSeconds();
        return remainingSeconds > 0 && remainingSeconds <= (long)longestLifetime.TotalSeconds;
    }

    private static byte[] Mac(ReadOnlySpan<byte> signingKey, string payload) => HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(payload));
}
