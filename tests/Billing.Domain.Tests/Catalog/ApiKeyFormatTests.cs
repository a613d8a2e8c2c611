namespace Billing.Domain.Tests;

public class ApiKeyFormatTests
{
    // Checksum computed independently: base62(zlib.crc32(b"bk_live_AbCd1234_0123…Jxy")) = base62(0xAB99EE5B).
    private const string KnownKey = "bk_live_AbCd1234_0123456789abcdefghijABCDEFGHIJxy38pxKF";

    [Fact]
    public void Create_appends_the_base62_crc32_of_everything_before_it()
    {
        var key = ApiKeyFormat.Create("AbCd1234", "0123456789abcdefghijABCDEFGHIJxy");

        Assert.Equal(KnownKey, key.Value);
        Assert.Equal("AbCd1234", key.Prefix);
    }

    [Fact]
    public void Checksum_is_left_padded_to_six_characters()
    {
        // crc32 = 0xCA8831B2 → "3hxL3i"; an all-zero body still gets six checksum characters.
        Assert.Equal(
            "bk_live_00000000_000000000000000000000000000000003hxL3i",
            ApiKeyFormat.Create("00000000", new string('0', 32)).Value);
    }

    [Fact]
    public void Generated_keys_are_55_characters_parse_back_and_differ()
    {
        var first = ApiKeyFormat.Generate();
        var second = ApiKeyFormat.Generate();

        Assert.Equal(55, first.Value.Length);
        Assert.Equal(ApiKeyFormat.MinLength, first.Value.Length);
        Assert.StartsWith("bk_live_" + first.Prefix + "_", first.Value, StringComparison.Ordinal);
        Assert.Equal(first, ApiKeyFormat.Parse(first.Value));
        Assert.NotEqual(first.Prefix, second.Prefix);
        Assert.NotEqual(first.Value, second.Value);
    }

    [Fact]
    public void ToString_shows_the_prefix_but_never_the_secret()
    {
        var key = ApiKeyFormat.Create("AbCd1234", "0123456789abcdefghijABCDEFGHIJxy");

        Assert.Equal("bk_live_AbCd1234_…", key.ToString());
    }

    [Theory]
    [InlineData("bk_live_AbCd1234_0123456789abcdefghijABCDEFGHIJxy38pxKG", "The API key's checksum does not match: it was mistyped or truncated.")]
    [InlineData("bk_live_AbCd1234_0123456789abcdefghijABCDEFGHIJyx38pxKF", "The API key's checksum does not match: it was mistyped or truncated.")]
    [InlineData("bk_test_AbCd1234_0123456789abcdefghijABCDEFGHIJxy38pxKF", "An API key starts with 'bk_live_'.")]
    [InlineData("bk_live_AbCd1234_0123456789abcdefghijABCDEFGHIJx38pxKF", "An API key is 55 to 87 characters long.")]
    [InlineData("bk_live_AbCd1234-0123456789abcdefghijABCDEFGHIJxy38pxKF", "An API key has the form bk_live_<8-character prefix>_<secret><6-character checksum>, in letters and digits.")]
    [InlineData("bk_live_AbCd1234_0123456789abcdefghij+BCDEFGHIJxy38pxKF", "An API key has the form bk_live_<8-character prefix>_<secret><6-character checksum>, in letters and digits.")]
    public void Parse_rejects_malformed_keys_saying_why(string text, string expectedMessage)
    {
        var error = Assert.Throws<FormatException>(() => ApiKeyFormat.Parse(text));

        Assert.Equal(expectedMessage, error.Message);
        Assert.False(ApiKeyFormat.TryParse(text, out var key));
        Assert.Equal(default, key);
    }

    [Fact]
    public void TryParse_accepts_a_well_formed_key_and_rejects_null_and_empty()
    {
        Assert.True(ApiKeyFormat.TryParse(KnownKey, out var key));
        Assert.Equal("AbCd1234", key.Prefix);
        Assert.False(ApiKeyFormat.TryParse(null, out _));
        Assert.False(ApiKeyFormat.TryParse(string.Empty, out _));
    }

    [Fact]
    public void Longer_secrets_up_to_64_characters_parse()
    {
        var key = ApiKeyFormat.Create("AbCd1234", new string('z', 64));

        Assert.Equal(87, key.Value.Length);
        Assert.True(ApiKeyFormat.TryParse(key.Value, out _));
        Assert.Throws<ArgumentException>(() => ApiKeyFormat.Create("AbCd1234", new string('z', 65)));
        Assert.Throws<ArgumentException>(() => ApiKeyFormat.Create("AbCd123", new string('z', 32)));
    }

    [Fact]
    public void Hash_is_the_sha256_of_the_key_text()
    {
        Assert.Equal(
            "4cca60b2141f4bc0cb8c816f69ffd6731275e50cf157efd244da8be4b9bbe3ef",
            Convert.ToHexStringLower(ApiKeyFormat.Hash(KnownKey)));
    }

    [Fact]
    public void Verify_accepts_only_the_key_whose_hash_is_stored()
    {
        var stored = ApiKeyFormat.Hash(KnownKey);

        Assert.True(ApiKeyFormat.Verify(KnownKey, stored));
        Assert.False(ApiKeyFormat.Verify(KnownKey[..^1] + "G", stored));
        Assert.False(ApiKeyFormat.Verify(KnownKey, stored.AsSpan(0, 31)));
        Assert.False(ApiKeyFormat.Verify(new string('a', ApiKeyFormat.MaxPresentedLength + 1), ApiKeyFormat.Hash(new string('a', 513))));
    }

    [Fact]
    public void Admin_keys_use_their_own_scheme_and_are_not_live_keys()
    {
        var admin = ApiKeyFormat.GenerateAdminKey();

        Assert.StartsWith("bk_admin_", admin, StringComparison.Ordinal);
        Assert.Equal(9 + 32 + 6, admin.Length);
        Assert.False(ApiKeyFormat.TryParse(admin, out _));
    }
}
