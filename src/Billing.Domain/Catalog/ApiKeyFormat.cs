using System.Security.Cryptography;
using System.Text;

namespace Billing.Domain;

/// <summary>
/// A well-formed live API key: <c>bk_live_&lt;prefix&gt;_&lt;secret&gt;&lt;checksum&gt;</c>. The prefix is
/// public (stored in clear, used for lookup); the whole text is the secret. Its
/// <see cref="ToString"/> shows only the prefix, so a key that reaches a log stays unusable.
/// </summary>
public readonly record struct ApiKey
{
    internal ApiKey(string prefix, string value)
    {
        Prefix = prefix;
        Value = value;
    }

    /// <summary>The public lookup part: <see cref="ApiKeyFormat.PrefixLength"/> base62 characters.</summary>
    public string Prefix { get; }

    /// <summary>The full key as the client presents it. Secret: show it once, store only its hash.</summary>
    public string Value { get; }

    public override string ToString() => $"{ApiKeyFormat.LiveScheme}{Prefix}_…";
}

/// <summary>
/// Making, checking and hashing API keys. The trailing checksum (CRC-32 of everything before it,
/// in base62) lets a mistyped or truncated key be rejected without a database lookup; it is no
/// defence against forgery, which the secret's ~190 random bits and the stored hash provide.
/// </summary>
public static class ApiKeyFormat
{
    public const string LiveScheme = "bk_live_";
    public const string AdminScheme = "bk_admin_";
    public const int PrefixLength = 8;
    public const int SecretLength = 32;

    /// <summary>Keys with longer secrets parse (room to grow the secret later); longer input is rejected unread.</summary>
    public const int MaxSecretLength = 64;

    public const int ChecksumLength = 6;
    /// <summary>"bk_live_" (8) + prefix + "_" + secret + checksum: 55 characters as generated.</summary>
    public const int MinLength = 8 + PrefixLength + 1 + SecretLength + ChecksumLength;

    public const int MaxLength = 8 + PrefixLength + 1 + MaxSecretLength + ChecksumLength;

    /// <summary>Presented text longer than this is not even hashed by <see cref="Verify"/>.</summary>
    public const int MaxPresentedLength = 512;

    /// <summary>True when <paramref name="prefix"/> could be a key's prefix: <see cref="PrefixLength"/> base62 characters.</summary>
    public static bool IsWellFormedPrefix(string? prefix) => prefix is { Length: PrefixLength } && Base62.IsBase62(prefix);

    /// <summary>A new live key with a random prefix and secret from the CSPRNG.</summary>
    public static ApiKey Generate() => Create(Base62.Random(PrefixLength), Base62.Random(SecretLength));

    /// <summary>Builds the key for a given prefix and secret (both base62), adding the checksum.</summary>
    public static ApiKey Create(string prefix, string secret)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(secret);
        if (prefix.Length != PrefixLength || !Base62.IsBase62(prefix))
        {
            throw new ArgumentException($"The prefix must be {PrefixLength} letters or digits.", nameof(prefix));
        }

        if (secret.Length is < SecretLength or > MaxSecretLength || !Base62.IsBase62(secret))
        {
            throw new ArgumentException($"The secret must be {SecretLength} to {MaxSecretLength} letters or digits.", nameof(secret));
        }

        var body = $"{LiveScheme}{prefix}_{secret}";
        return new ApiKey(prefix, body + Checksum(body));
    }

    /// <summary>A new admin key, <c>bk_admin_&lt;secret&gt;&lt;checksum&gt;</c>; there is one per cluster, so it needs no prefix.</summary>
    public static string GenerateAdminKey()
    {
        var body = AdminScheme + Base62.Random(SecretLength);
        return body + Checksum(body);
    }

    /// <summary>Parses a presented key; <see cref="FormatException"/> says what is wrong without echoing the key.</summary>
    public static ApiKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problem = Check(text);
        return problem is null ? new ApiKey(text.Substring(LiveScheme.Length, PrefixLength), text) : throw new FormatException(problem);
    }

    public static bool TryParse(string? text, out ApiKey key)
    {
        var valid = text is not null && Check(text) is null;
        key = valid ? new ApiKey(text!.Substring(LiveScheme.Length, PrefixLength), text) : default;
        return valid;
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes: what is stored instead of the key. The key's entropy makes a salt unnecessary.</summary>
    public static byte[] Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Compares the presented key's hash with the stored one in time independent of where they differ.</summary>
    public static bool Verify(string presented, ReadOnlySpan<byte> storedHash)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (presented.Length > MaxPresentedLength)
        {
            return false;
        }

        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);
    }

    internal static string Checksum(ReadOnlySpan<char> body) => Base62.Encode(Crc32.Compute(body), ChecksumLength);

    /// <summary>Null when <paramref name="text"/> is a well-formed live key, else why not.</summary>
    private static string? Check(string text)
    {
        if (!text.StartsWith(LiveScheme, StringComparison.Ordinal))
        {
            return $"An API key starts with '{LiveScheme}'.";
        }

        if (text.Length is < MinLength or > MaxLength)
        {
            return $"An API key is {MinLength} to {MaxLength} characters long.";
        }

        var rest = text.AsSpan(LiveScheme.Length);
        if (rest[PrefixLength] != '_' || !Base62.IsBase62(rest[..PrefixLength]) || !Base62.IsBase62(rest[(PrefixLength + 1)..]))
        {
            return $"An API key has the form {LiveScheme}<{PrefixLength}-character prefix>_<secret><{ChecksumLength}-character checksum>, in letters and digits.";
        }

        var checksumStart = text.Length - ChecksumLength;
        return Checksum(text.AsSpan(0, checksumStart)).AsSpan().SequenceEqual(text.AsSpan(checksumStart))
            ? null
            : "The API key's checksum does not match: it was mistyped or truncated.";
    }
}
