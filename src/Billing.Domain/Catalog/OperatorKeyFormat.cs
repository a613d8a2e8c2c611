namespace Billing.Domain;

/// <summary>
/// Operator keys for the admin API: <c>bk_op_&lt;prefix&gt;_&lt;secret&gt;&lt;checksum&gt;</c>, built like live API
/// keys (<see cref="ApiKeyFormat"/>): the prefix is public and finds the stored hash, the checksum
/// rejects a mistyped key without a lookup, the whole text is the secret and only its SHA-256
/// (<see cref="ApiKeyFormat.Hash"/>) is stored.
/// </summary>
public static class OperatorKeyFormat
{
    public const string Scheme = "bk_op_";

    /// <summary>"bk_op_" (6) + prefix + "_" + secret + checksum: 53 characters.</summary>
    public const int Length = 6 + ApiKeyFormat.PrefixLength + 1 + ApiKeyFormat.SecretLength + ApiKeyFormat.ChecksumLength;

    /// <summary>A new operator key and its public prefix, drawn from the CSPRNG.</summary>
    public static (string Prefix, string Key) Generate()
    {
        var prefix = Base62.Random(ApiKeyFormat.PrefixLength);
        var body = $"{Scheme}{prefix}_{Base62.Random(ApiKeyFormat.SecretLength)}";
        return (prefix, body + ApiKeyFormat.Checksum(body));
    }

    /// <summary>True when the text looks like an operator key at all (its scheme), so it is never tried as the admin key.</summary>
    public static bool HasScheme(string? text) => text is not null && text.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>The prefix of a well-formed operator key (length, alphabet and checksum right); false otherwise.</summary>
    public static bool TryGetPrefix(string? text, out string prefix)
    {
        prefix = string.Empty;
        if (text is not { Length: Length } || !HasScheme(text))
        {
            return false;
        }

        var rest = text.AsSpan(Scheme.Length);
        if (rest[ApiKeyFormat.PrefixLength] != '_' || !Base62.IsBase62(rest[..ApiKeyFormat.PrefixLength]) || !Base62.IsBase62(rest[(ApiKeyFormat.PrefixLength + 1)..]))
        {
            return false;
        }

        var checksumStart = text.Length - ApiKeyFormat.ChecksumLength;
        if (!ApiKeyFormat.Checksum(text.AsSpan(0, checksumStart)).AsSpan().SequenceEqual(text.AsSpan(checksumStart)))
        {
            return false;
        }

        prefix = rest[..ApiKeyFormat.PrefixLength].ToString();
        return true;
    }
}
