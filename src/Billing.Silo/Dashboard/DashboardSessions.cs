using Billing.Silo.Auth;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Dashboard;

/// <summary>Issues and checks dashboard session tokens, signed with a key derived from the admin key.</summary>
public sealed class DashboardSessions(AdminKeyVerifier adminKey, TimeProvider time, IOptions<DashboardLoginOptions> options)
{
    public const string CookieName = "billing_dashboard_session";

    // Versioned so that a change of token format can void every older session at once.
    private const string SigningKeyPurpose = "billing-dashboard-session-v1";

    private readonly TimeSpan lifetime = TimeSpan.FromMinutes(options.Value.SessionMinutes);

    // The admin key is fixed for the silo's life, so the key derived from it is too.
    private byte[]? signingKey;

    public async ValueTask<(string Token, DateTimeOffset ExpiresAt)> IssueAsync()
    {
        // Whole seconds: the token carries unix seconds, and the cookie's expiry should match it.
        var now = time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()) + lifetime;
        return (DashboardSessionToken.Issue(await SigningKeyAsync(), expiresAt), expiresAt);
    }

    public async ValueTask<bool> IsValidAsync(string? token) =>
        token is not null && DashboardSessionToken.IsValid(token, await SigningKeyAsync(), time.GetUtcNow(), lifetime);

    private async ValueTask<byte[]> SigningKeyAsync() => signingKey ??= await adminKey.DeriveKeyAsync(SigningKeyPurpose);
}
