namespace Billing.Silo.Security;

/// <summary>What an operator key may do: <c>admin</c> everything, <c>viewer</c> only reads (GET).</summary>
public enum OperatorRole
{
    Admin,
    Viewer,
}

/// <summary>The roles' wire and storage names.</summary>
public static class OperatorRoles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";

    public static string ToText(this OperatorRole role) => role == OperatorRole.Admin ? Admin : Viewer;

    public static bool TryParse(string? text, out OperatorRole role)
    {
        role = text == Admin ? OperatorRole.Admin : OperatorRole.Viewer;
        return text is Admin or Viewer;
    }
}

/// <summary>Who an admin request comes from: an operator key, or the configured admin key (the bootstrap admin).</summary>
public sealed record OperatorPrincipal(string KeyId, string Name, OperatorRole Role)
{
    /// <summary>The actor id of the configured (or generated) admin key, which has no row of its own.</summary>
    public const string AdminKeyId = "admin_key";

    public static readonly OperatorPrincipal AdminKey = new(AdminKeyId, "admin key", OperatorRole.Admin);

    public bool CanWrite => Role == OperatorRole.Admin;
}
