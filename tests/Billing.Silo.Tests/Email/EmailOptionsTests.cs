using Billing.Silo.Email;

namespace Billing.Silo.Tests.Email;

public sealed class EmailOptionsTests
{
    [Fact]
    public void WithoutAnSmtpHostEmailIsOffAndNeedsNothingElse()
    {
        var options = new EmailOptions();

        Assert.False(options.IsEnabled);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void AnSmtpHostNeedsASenderAKnownSecurityAndLoginsInPairs()
    {
        var options = new EmailOptions { SmtpHost = "smtp.example.com", Security = "tls", Username = "billing", FromAddress = "not an address", AlertRecipient = "ops" };

        var errors = options.Validate().ToList();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("Security", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Username and Password", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("FromAddress", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("AlertRecipient", StringComparison.Ordinal));
    }

    [Fact]
    public void BoundsAreCheckedAndTheLeaseCoversAWholeBatch()
    {
        Assert.Single(new EmailOptions { BatchSize = 0 }.Validate());
        Assert.Single(new EmailOptions { MaxAttempts = 21 }.Validate());
        Assert.Equal(2L * 22 * 30 * 1_000, new EmailOptions { BatchSize = 20, TimeoutSeconds = 30 }.ClaimLeaseMs);
        Assert.Empty(new EmailOptions { SmtpHost = "127.0.0.1", Security = "none", FromAddress = "billing@billing.test" }.Validate());
    }
}
