namespace Billing.Domain;

/// <summary>
/// The names the API and storage give an enum's values: snake_case of the member name (PerUnit ↔
/// "per_unit", Weekly ↔ "weekly"), listed in declaration order. Parsing accepts these names only;
/// <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> alone would also take "2" or
/// "weekly,monthly", which are not names of a single value.
/// </summary>
internal static class ApiNames<TEnum>
    where TEnum : struct, Enum
{
    private const int MaxShownLength = 32;

    private static readonly Dictionary<string, TEnum> ValuesByName =
        Enum.GetValues<TEnum>().ToDictionary(Of, StringComparer.Ordinal);

    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<TEnum>().Select(Of)];

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value the enum does not define: it has no name.</summary>
    public static string Of(TEnum value) =>
        Enum.IsDefined(value)
            ? string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()))
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(TEnum).Name}.");

    /// <summary>Case-insensitive, surrounding blanks ignored; false for unknown names.</summary>
    /// <remarks>
    /// Only ASCII letters and underscores are read: case folding alone would turn lookalikes such
    /// as the Kelvin sign (U+212A) into an ASCII letter and accept a name the client did not write.
    /// </remarks>
    public static bool TryParse(string? name, out TEnum value)
    {
        value = default;
        var trimmed = name?.Trim();
        return !string.IsNullOrEmpty(trimmed)
            && trimmed.All(c => char.IsAsciiLetter(c) || c == '_')
            && ValuesByName.TryGetValue(trimmed.ToLowerInvariant(), out value);
    }

    /// <summary>Like <see cref="TryParse"/>, but throws <see cref="FormatException"/> naming <paramref name="what"/> and the accepted names.</summary>
    public static TEnum Parse(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var value)
            ? value
            : throw new FormatException($"Unknown {what} '{ShownText.Clip(name, MaxShownLength)}'; use one of {string.Join(", ", All)}.");
    }
}
