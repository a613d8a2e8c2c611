using System.Globalization;
using System.Text;

namespace Billing.Cli.Scheduler;

/// <summary>A column of a <see cref="TextTable"/>; numbers align right so their digits line up.</summary>
internal sealed record TextColumn(string Header, bool AlignRight = false)
{
    public static TextColumn Left(string header) => new(header);

    public static TextColumn Right(string header) => new(header, AlignRight: true);
}

/// <summary>
/// Rows of text in aligned columns two spaces apart, headers first. Cells come from the silo (error messages among
/// them), so each is made one line and cut at <see cref="MaxCellLength"/> characters.
/// </summary>
internal sealed class TextTable(params TextColumn[] columns)
{
    public const int MaxCellLength = 200;
    private const string Gap = "  ";

    private readonly List<string[]> rows = [];

    public int Count => rows.Count;

    public void Add(params string?[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {columns.Length} columns", nameof(cells));
        }

        rows.Add([.. cells.Select(OneLine)]);
    }

    public void AppendTo(StringBuilder text, string indent)
    {
        var widths = columns.Select((column, index) => rows.Select(row => row[index].Length).Append(column.Header.Length).Max()).ToArray();
        AppendRow(text, indent, [.. columns.Select(column => column.Header)], widths);
        foreach (var row in rows)
        {
            AppendRow(text, indent, row, widths);
        }
    }

    /// <summary>A decimal as the silo sent it: JSON numbers keep their scale, so "10.00" stays "10.00".</summary>
    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A moment in UTC to the second, e.g. 2025-07-01T02:00:00Z: the silo sends fractions no reader of a table needs.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A day as the silo sends it, e.g. 2025-06-30.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Text from the silo made one line of at most <see cref="MaxCellLength"/> characters.</summary>
    public static string OneLine(string? cell)
    {
        var flat = new string([.. (cell ?? "").Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return flat.Length <= MaxCellLength ? flat : string.Concat(flat.AsSpan(0, MaxCellLength - 1), "…");
    }

    private void AppendRow(StringBuilder text, string indent, string[] cells, int[] widths)
    {
        var padded = cells.Select((cell, index) => columns[index].AlignRight ? cell.PadLeft(widths[index]) : cell.PadRight(widths[index]));
        text.Append((indent + string.Join(Gap, padded)).TrimEnd()).Append('\n');
    }
}
