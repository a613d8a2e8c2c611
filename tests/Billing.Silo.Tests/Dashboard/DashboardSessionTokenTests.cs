using System.Security.Cryptography;
using Billing.Silo.Dashboard;

namespace Billing.Silo.Tests.Dashboard;

public sealed class DashboardSessionTokenTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    [Fact]
    public void TokenIsValidUntilItsExpiryAndNotAfter()
    {
        var token = DashboardSessionToken.Issue(Key, Now + Lifetime);

        Assert.True(DashboardSessionToken.IsValid(token, Key, Now, Lifetime));
        Assert.True(DashboardSessionToken.IsValid(token, Key, Now + Lifetime - TimeSpan.FromSeconds(1), Lifetime));
        Assert.False(DashboardSessionToken.IsValid(token, Key, Now + Lifetime, Lifetime));
    }

    [Fact]
    public void TokenSignedWithAnotherKeyIsRefused()
    {
        var token = DashboardSessionToken.Issue(RandomNumberGenerator.GetBytes(32), Now + Lifetime);

        Assert.False(DashboardSessionToken.IsValid(token, Key, Now, Lifetime));
    }

    [Fact]
    public void ExtendingTheExpiryBreaksTheSignature()
    {
        var token = DashboardSessionToken.Issue(Key, Now + TimeSpan.FromMinutes(1));
        var parts = token.Split('.');
        var extended = $"{parts[0]}.{(Now + Lifetime).ToUnixTimeSeconds()}.{parts[2]}";

        Assert.False(DashboardSessionToken.IsValid(extended, Key, Now, Lifetime));
    }

    [Fact]
    public void ShorteningTheLifetimeEndsLongerSessions()
    {
        var token = DashboardSessionToken.Issue(Key, Now + Lifetime);

        Assert.False(DashboardSessionToken.IsValid(token, Key, Now, TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1")]
    [InlineData("v1.")]
    [InlineData("v1.123.")]
    [InlineData("v2.1796640493.87KJBkjDutGwGxaBSroZjCg5fjDdDxbLV8JB4zGKn_w")]
    [InlineData("v1.-1796640493.87KJBkjDutGwGxaBSroZjCg5fjDdDxbLV8JB4zGKn_w")]
    [InlineData("v1.1796640493.not base64!")]
    [InlineData("v1.1796640493.87KJBkjDutGwGxaBSroZjCg5fjDdDxbLV8JB4zGKn_w.extra")]
    public void MalformedTokensAreRefused(string? token)
    {
        Assert.False(DashboardSessionToken.IsValid(token, Key, Now, Lifetime));
    }

    [Fact]
    public void OverlongTokenIsRefusedBeforeAnyWork()
    {
        Assert.False(DashboardSessionToken.IsValid("v1.1." + new string('A', 10_000), Key, Now, Lifetime));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(DashboardLoginOptions.MaxSessionMinutes, true)]
    [InlineData(DashboardLoginOptions.MaxSessionMinutes + 1, false)]
    public void SessionMinutesAreValidatedAtStart(int minutes, bool valid)
    {
        Assert.Equal(valid, !new DashboardLoginOptions { SessionMinutes = minutes }.Validate().Any());
    }
}
