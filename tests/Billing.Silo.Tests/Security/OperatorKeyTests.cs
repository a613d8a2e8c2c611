using System.Net;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Security;

/// <summary>Operator keys: roles (admin, read-only viewer), stored hashed, created and revoked through the API; the admin key stays the bootstrap admin.</summary>
public sealed class OperatorKeyTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AViewerReadsTheAdminApiButEveryWriteIs403ForbiddenRole(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (customerId, _, apiKeyId, _) = await silo.IssueKeyAsync();
        var (viewerId, viewerKey) = await OperatorKeys.CreateAsync(silo, "Support desk", "viewer");
        using var viewer = OperatorKeys.Client(silo, viewerKey);

        var customers = await OperatorKeys.SendAsync(viewer, HttpMethod.Get, "/api/v1/admin/customers", null, HttpStatusCode.OK);
        var customer = await OperatorKeys.SendAsync(viewer, HttpMethod.Get, $"/api/v1/admin/customers/{customerId}", null, HttpStatusCode.OK);
        var keys = await OperatorKeys.SendAsync(viewer, HttpMethod.Get, "/api/v1/admin/operator-keys", null, HttpStatusCode.OK);
        await OperatorKeys.SendAsync(viewer, HttpMethod.Get, "/api/v1/admin/audit", null, HttpStatusCode.OK);
        var writes = new[]
        {
            await OperatorKeys.SendAsync(viewer, HttpMethod.Post, "/api/v1/admin/customers", new { name = "Evil", email = "evil@example.com" }, HttpStatusCode.Forbidden),
            await OperatorKeys.SendAsync(viewer, HttpMethod.Patch, $"/api/v1/admin/customers/{customerId}", new { name = "Renamed" }, HttpStatusCode.Forbidden),
            await OperatorKeys.SendAsync(viewer, HttpMethod.Delete, $"/api/v1/admin/api-keys/{apiKeyId}", null, HttpStatusCode.Forbidden),
            await OperatorKeys.SendAsync(viewer, HttpMethod.Post, "/api/v1/admin/operator-keys", new { name = "Escalate", role = "admin" }, HttpStatusCode.Forbidden),
            await OperatorKeys.SendAsync(viewer, HttpMethod.Delete, $"/api/v1/admin/operator-keys/{viewerId}", null, HttpStatusCode.Forbidden),
        };

        Assert.Single(customers.GetProperty("customers").EnumerateArray());
        Assert.Equal("Acme", customer.GetProperty("name").GetString());
        Assert.Equal([viewerId], keys.GetProperty("operator_keys").EnumerateArray().Select(k => k.GetProperty("id").GetString()));
        Assert.All(writes, w => Assert.Equal((403, "forbidden_role"), (w.GetProperty("status").GetInt32(), w.GetProperty("code").GetString())));
        Assert.Equal(
            $"Operator key {viewerId} has the role viewer, which may only read (GET); POST needs the role admin.",
            writes[0].GetProperty("detail").GetString());
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM customers"));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM operator_keys WHERE revoked_at_ms IS NULL"));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM api_keys WHERE revoked_at_ms IS NOT NULL"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ACreatedKeyWorksAndOnceRevokedIs401AtOnceWhileItsSuccessorWorks(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (oldId, oldKey) = await OperatorKeys.CreateAsync(silo, "Deploy bot", "admin");
        using var old = OperatorKeys.Client(silo, oldKey);
        await OperatorKeys.SendAsync(old, HttpMethod.Post, "/api/v1/admin/customers", new { name = "Acme", email = "billing@acme.com" }, HttpStatusCode.Created);

        // Rotation: the old key makes its successor, the successor revokes it.
        silo.Time.Advance(TimeSpan.FromMinutes(1));
        var (newId, newKey) = await OperatorKeys.CreateAsync(silo, "Deploy bot 2", "admin", by: old);
        using var successor = OperatorKeys.Client(silo, newKey);
        await OperatorKeys.SendAsync(successor, HttpMethod.Delete, $"/api/v1/admin/operator-keys/{oldId}", null, HttpStatusCode.NoContent);
        await OperatorKeys.SendAsync(successor, HttpMethod.Delete, $"/api/v1/admin/operator-keys/{oldId}", null, HttpStatusCode.NoContent);

        var refused = await OperatorKeys.SendAsync(old, HttpMethod.Get, "/api/v1/admin/customers", null, HttpStatusCode.Unauthorized);
        var listed = await OperatorKeys.SendAsync(successor, HttpMethod.Get, "/api/v1/admin/operator-keys", null, HttpStatusCode.OK);
        var revoked = await OperatorKeys.SendAsync(silo.Admin, HttpMethod.Get, $"/api/v1/admin/operator-keys/{oldId}", null, HttpStatusCode.OK);
        var unknown = await OperatorKeys.SendAsync(silo.Admin, HttpMethod.Delete, "/api/v1/admin/operator-keys/op_0123456789abcdefghij", null, HttpStatusCode.NotFound);
        using var mistyped = OperatorKeys.Client(silo, oldKey[..^1] + (oldKey[^1] == 'a' ? 'b' : 'a'));
        var malformed = await OperatorKeys.SendAsync(mistyped, HttpMethod.Get, "/api/v1/admin/customers", null, HttpStatusCode.Unauthorized);

        Assert.Equal("unauthorized", refused.GetProperty("code").GetString());
        Assert.Equal("unauthorized", malformed.GetProperty("code").GetString());
        Assert.Equal("operator_key_not_found", unknown.GetProperty("code").GetString());
        Assert.Equal([oldId, newId], listed.GetProperty("operator_keys").EnumerateArray().Select(k => k.GetProperty("id").GetString()));
        Assert.All(listed.GetProperty("operator_keys").EnumerateArray(), k => Assert.False(k.TryGetProperty("key", out _)));
        Assert.Equal(
            $$"""{"id":"{{oldId}}","name":"Deploy bot","role":"admin","prefix":"{{oldKey[6..14]}}","created_at":"2026-11-21T12:00:00+00:00","revoked_at":"2026-11-21T12:01:00+00:00"}""",
            revoked.GetRawText());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task KeysAreStoredAsTheirHashOnly(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (id, key) = await OperatorKeys.CreateAsync(silo, "Finance", "viewer");

        var stored = await silo.Services.GetRequiredService<SqlDatabase>().QueryListAsync(
            "SELECT id, name, role, prefix, key_hash FROM operator_keys", c => c,
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<byte[]>(4)), CancellationToken.None);

        var (storedId, name, role, prefix, hash) = Assert.Single(stored);
        Assert.Equal((id, "Finance", "viewer"), (storedId, name, role));
        Assert.Matches("^bk_op_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$", key);
        Assert.Equal(key[6..14], prefix);
        Assert.Equal(ApiKeyFormat.Hash(key), hash);
        Assert.Equal(0, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%{key[14..]}%' OR before_json LIKE '%{key[14..]}%'"));
    }

    [Fact]
    public async Task AnUnknownRoleOrNoNameIs400NamingTheFields()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var invalid = await OperatorKeys.SendAsync(silo.Admin, HttpMethod.Post, "/api/v1/admin/operator-keys", new { name = " ", role = "owner" }, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_operator_key", invalid.GetProperty("code").GetString());
        Assert.Equal("""{"name":["name is required"],"role":["role must be admin or viewer"]}""", invalid.GetProperty("errors").GetRawText());
    }
}
