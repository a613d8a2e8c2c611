namespace Billing.Domain.Tests;

public class OperatorKeyFormatTests
{
    [Fact]
    public void A_generated_key_has_the_scheme_and_length_and_yields_its_prefix()
    {
        var (prefix, key) = OperatorKeyFormat.Generate();

        Assert.Matches("^bk_op_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$", key);
        Assert.Equal(OperatorKeyFormat.Length, key.Length);
        Assert.True(OperatorKeyFormat.TryGetPrefix(key, out var parsed));
        Assert.Equal(prefix, parsed);
        Assert.Equal(prefix, key[6..14]);
    }

    [Fact]
    public void A_mistyped_truncated_or_foreign_key_yields_no_prefix()
    {
        var (_, key) = OperatorKeyFormat.Generate();
        var mistyped = key[..20] + (key[20] == 'a' ? 'b' : 'a') + key[21..];

        Assert.False(OperatorKeyFormat.TryGetPrefix(mistyped, out _));
        Assert.False(OperatorKeyFormat.TryGetPrefix(key[..^1], out _));
        Assert.False(OperatorKeyFormat.TryGetPrefix(ApiKeyFormat.Generate().Value, out _));
        Assert.False(OperatorKeyFormat.TryGetPrefix(null, out _));
        Assert.False(OperatorKeyFormat.TryGetPrefix(key.Replace('_', '-'), out _));
    }
}
