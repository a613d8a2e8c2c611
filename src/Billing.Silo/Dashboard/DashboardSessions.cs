using System.Security.Cryptography;
using System.Text;
using Billing.Domain;
using Billing.Silo.Auth;
using Billing.Silo.Security;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Dashboard;

/// <summary>
/// Issues and checks dashboard session tokens, signed with a key derived from the admin key. A
/// session started with an operator key names that key in a second cookie (<see cref="OperatorCookieName"/>,
/// not secret) and is signed with a key derived for it, so the cookie cannot be moved to another
/// key, and the session ends when the operator key is revoked (on every silo within the key cache time).
/// </summary>
public sealed class DashboardSessions(AdminKeyVerifier adminKey, OperatorAuthenticator operators, TimeProvider time, IOptions<DashboardLoginOptions> options)
{
    public const string CookieName = "billing_dashboard_session";
    public const string OperatorCookieName = "billing_dashboard_operator";

    // Versioned so that a change of token format can void every older session at once.
    private const string SigningKeyPurpose = "billing-dashboard-session-v1";

    private readonly TimeSpan lifetime = TimeSpan.FromMinutes(options.Value.SessionMinutes);

    // The admin key is fixed for the silo's life, so the key derived from it is too.
    private byte[]? signingKey;

    /// <summary>A session for the admin key (<paramref name="operatorKeyId"/> null) or for an operator key.</summary>
    public async ValueTask<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(string? operatorKeyId = null)
    {
        // Whole seconds: the token carries unix seconds, and the cookie's expiry should match it.
        var now = time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()) + lifetime;
        return (DashboardSessionToken.Issue(await SigningKeyAsync(operatorKeyId), expiresAt), expiresAt);
    }

    /// <summary>The role of a valid session: admin for one started with the admin key, the operator key's role otherwise; null when not valid.</summary>
    public async ValueTask<OperatorRole?> RoleOfAsync(string? token, string? operatorKeyId = null, CancellationToken cancellationToken = default)
    {
        if (token is null)
        {
            return null;
        }

        OperatorRole? role = OperatorRole.Admin;
        if (operatorKeyId is not null)
        {
            role = CatalogIds.IsWellFormed(operatorKeyId, CatalogIds.OperatorKey) ? await operators.LiveRoleAsync(operatorKeyId, cancellationToken) : null;
        }

        return role is not null && DashboardSessionToken.IsValid(token, await SigningKeyAsync(operatorKeyId), time.GetUtcNow(), lifetime) ? role : null;
    }

    private async ValueTask<byte[]> SigningKeyAsync(string? operatorKeyId)
    {
        var key = signingKey ??= await adminKey.DeriveKeyAsync(SigningKeyPurpose);
        return operatorKeyId is null ? key : HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"operator:{operatorKeyId}"));
    }
}
