using System.Security.Cryptography;
using System.Text;
using Billing.Silo.Storage.Sql;
using Billing.Domain;
using Billing.Silo.Catalog;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Auth;

/// <summary>
/// Knows the hash of the admin key and checks presented keys against it in constant time. The key
/// comes from <c>Billing:AdminKey</c>; when that is unset, the first silo to start over a database
/// generates one, stores only its SHA-256 in <c>silo_settings</c> and prints the key once on
/// standard output. Later starts (and other silos) reuse the stored hash and print nothing.
/// </summary>
public sealed class AdminKeyVerifier : IHostedService
{
    internal const string SettingName = "admin_key_sha256";

    private readonly Lazy<Task<byte[]>> hash;

    public AdminKeyVerifier(
        IOptions<AdminKeyOptions> options, StorageInitializer storage, CatalogStore store, SiloConsole console, TimeProvider time, ILogger<AdminKeyVerifier> logger)
    {
        hash = new Lazy<Task<byte[]>>(() => ResolveAsync(options.Value, storage, store, console, time, logger));
    }

    /// <summary>Resolving at start makes the generated key appear among the start-up lines, not at the first admin request.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => hash.Value;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask<bool> VerifyAsync(string presented) => ApiKeyFormat.Verify(presented, await hash.Value);

    /// <summary>
    /// A 32-byte key for one <paramref name="purpose"/> (HMAC-SHA-256 of the purpose, keyed by the
    /// admin key's hash): every silo derives the same one without a second secret to store, and
    /// replacing the admin key voids whatever was signed with the old one.
    /// </summary>
    public async ValueTask<byte[]> DeriveKeyAsync(string purpose) =>
        HMACSHA256.HashData(await hash.Value, Encoding.UTF8.GetBytes(purpose));

    private static async Task<byte[]> ResolveAsync(
        AdminKeyOptions options, StorageInitializer storage, CatalogStore store, SiloConsole console, TimeProvider time, ILogger logger)
    {
        if (options.IsConfigured)
        {
            CatalogLog.AdminKeyLoaded(logger, "configuration (Billing:AdminKey)");
            return ApiKeyFormat.Hash(options.AdminKey!);
        }

        await storage.EnsureInitializedAsync();
        // Start-up must fail fast on a database that stops answering, as StorageInitializer does.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
        var stored = await store.GetSettingAsync(SettingName, timeout.Token);
        if (stored is null)
        {
            var key = ApiKeyFormat.GenerateAdminKey();
            var keyHash = ApiKeyFormat.Hash(key);
            if (await store.TryAddSettingAsync(SettingName, Convert.ToHexStringLower(keyHash), timeout.Token))
            {
                CatalogLog.AdminKeyGenerated(logger);
                await console.WriteLineAsync($"billing-silo: generated admin key {key}; it is shown only now");
                return keyHash;
            }

            // Another silo generated one at the same moment: its key is the one that was printed.
            stored = await store.GetSettingAsync(SettingName, timeout.Token);
        }

        CatalogLog.AdminKeyLoaded(logger, "silo_settings");
        return ParseStoredHash(stored);
    }

    private static byte[] ParseStoredHash(string? hex) =>
        hex is { Length: 64 } && hex.All(char.IsAsciiHexDigit)
            ? Convert.FromHexString(hex)
            : throw new InvalidOperationException(
                $"silo_settings.{SettingName} is not a SHA-256 in hex; delete the row to have a new admin key generated, or set Billing:AdminKey.");
}
