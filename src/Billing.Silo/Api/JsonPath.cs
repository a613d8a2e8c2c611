using System.Globalization;
using System.Text;

namespace Billing.Silo.Api;

/// <summary>
/// The paths System.Text.Json puts on its errors (<c>$.events[1].tokens</c>, <c>$['a b']</c>), as segments and
/// as the field name the API's problems use (<c>events[1].tokens</c>).
/// </summary>
internal static class JsonPath
{
    /// <summary>The serializer stops at its MaxDepth; a path has at most one segment per level and a name per segment.</summary>
    private const int MaxSegments = 64;

    /// <summary>A property (<see cref="Name"/>) or an array element (<see cref="Index"/>).</summary>
    internal readonly record struct Segment(string? Name, int Index);

    /// <summary>The segments after <c>$</c>; null when the text is not a path of that shape.</summary>
    public static List<Segment>? Parse(string? path)
    {
        if (path is null || !path.StartsWith('$'))
        {
            return null;
        }

        var segments = new List<Segment>();
        var i = 1;
        while (i < path.Length && segments.Count < MaxSegments)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(i + 1)..end], 0));
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                segments.Add(new Segment(path[(i + 2)..end], 0));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }

                segments.Add(new Segment(null, index));
                i = end + 1;
            }
            else
            {
                return null;
            }
        }

        return i == path.Length ? segments : null;
    }

    /// <summary>The field as problems name it: <c>events[1].tokens</c>.</summary>
    public static string Field(IReadOnlyList<Segment> segments)
    {
        var field = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                field.Append(field.Length == 0 ? "" : ".").Append(name.Length > MaxShownNameLength ? name[..MaxShownNameLength] + "…" : name);
            }
            else
            {
                field.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
        }

        return field.ToString();
    }

    /// <summary>An unknown property's name is echoed back; a client's kilobyte of name is not.</summary>
    private const int MaxShownNameLength = 64;
}
