using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Billing.Cli.Commands;

/// <summary>Whole-number options with an inclusive range, whose bad values fail the parse with one message naming the value.</summary>
internal static class RangedOption
{
    /// <param name="unit">Plural unit for the error message ("seconds"), or null for a plain count.</param>
    public static Option<T> Create<T>(string name, string description, T min, T max, T defaultValue, string? unit = null)
        where T : IBinaryInteger<T> => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            // A custom parser rather than a validator: validators run after conversion and throw on "abc".
            CustomParser = result => Parse(result, name, min, max, defaultValue, unit),
        };

    /// <summary>For an option whose absence means something of its own: no default is shown or filled in.</summary>
    public static Option<T> WithoutDefault<T>(Option<T> option)
    {
        option.DefaultValueFactory = null;
        return option;
    }

    private static T Parse<T>(ArgumentResult result, string name, T min, T max, T fallback, string? unit)
        where T : IBinaryInteger<T>
    {
        var text = result.Tokens[^1].Value;
        if (T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var what = unit is null ? "a whole number" : $"a whole number of {unit}";
        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {what} from {min} to {max}, got '{text}'."));
        // Never used: the error above fails the parse before any command runs.
        return fallback;
    }
}
