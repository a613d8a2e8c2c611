using Billing.Domain;

namespace Billing.Silo.Api;

/// <summary>ProblemDetails answers with a stable <c>code</c> and a type URI derived from it.</summary>
public static class ApiProblem
{
    public static IResult Create(int status, string code, string title, string? detail = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypeOf(code), extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary><see cref="Create(int, string, string, string?)"/> with more members beside <c>code</c> (e.g. a payment's decline code).</summary>
    public static IResult Create(int status, string code, string title, string? detail, IReadOnlyDictionary<string, object?> members)
    {
        var extensions = new Dictionary<string, object?>(members, StringComparer.Ordinal) { ["code"] = code };
        return Results.Problem(detail: detail, statusCode: status, title: title, type: TypeOf(code), extensions: extensions);
    }

    /// <summary>404 for an id; <paramref name="noun"/> as in running text ("customer", "API key").</summary>
    public static IResult NotFound(string code, string noun, string id) =>
        Create(StatusCodes.Status404NotFound, code, $"{char.ToUpperInvariant(noun[0])}{noun[1..]} not found", $"There is no {noun} with id '{Shorten(id)}'.");

    /// <summary>400 with every field's problems under <c>errors</c> (field → messages) and all of them in <c>detail</c>.</summary>
    public static IResult Invalid(string code, string title, IReadOnlyList<FieldError> errors) =>
        Results.ValidationProblem(
            ErrorsByField(errors),
            detail: Detail(errors),
            title: title,
            type: TypeOf(code),
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>Field → its messages: the <c>errors</c> member of a validation problem.</summary>
    public static Dictionary<string, string[]> ErrorsByField(IReadOnlyList<FieldError> errors) =>
        errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);

    /// <summary>Every message in one sentence: the <c>detail</c> of a validation problem.</summary>
    public static string Detail(IReadOnlyList<FieldError> errors) => string.Join("; ", errors.Select(e => e.Message)) + ".";

    private static string TypeOf(string code) => $"https://billing.example/problems/{code.Replace('_', '-')}";

    // Route values are echoed back; a client's megabyte of path is not.
    private static string Shorten(string id) => id.Length > 64 ? id[..64] + "…" : id;
}
