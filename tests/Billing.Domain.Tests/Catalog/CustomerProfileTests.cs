namespace Billing.Domain.Tests;

public class CustomerProfileTests
{
    private const string Id = "cus_0123456789abcdefghij";

    private static readonly CustomerDraft Acme = new("Acme Corporation", "billing@acme.com", null, null, null);

    private static string OnlyError(CustomerDraft draft)
    {
        Assert.False(CustomerProfile.TryCreate(Id, draft, out var customer, out var errors));
        Assert.Null(customer);
        return Assert.Single(errors).Message;
    }

    [Fact]
    public void Absent_currency_time_zone_and_vat_rate_take_the_defaults()
    {
        Assert.True(CustomerProfile.TryCreate(Id, Acme, out var customer, out _));

        Assert.Equal("Acme Corporation", customer.Name);
        Assert.Equal("billing@acme.com", customer.Email);
        Assert.Equal(Currency.EUR, customer.Currency);
        Assert.Equal("UTC", customer.TimeZoneId);
        Assert.Equal(0.21m, customer.VatRate);
    }

    [Fact]
    public void Given_currency_time_zone_and_vat_rate_are_kept()
    {
        var draft = Acme with { Currency = "usd", TimeZone = "Europe/Amsterdam", VatRate = 0.2125m };

        Assert.True(CustomerProfile.TryCreate(Id, draft, out var customer, out _));

        Assert.Equal(Currency.USD, customer.Currency);
        Assert.Equal("Europe/Amsterdam", customer.TimeZone.Id);
        Assert.Equal(0.2125m, customer.VatRate);
    }

    [Theory]
    [InlineData("billing@acme.com")]
    [InlineData("first.last+invoices@mail.example.co.uk")]
    [InlineData("o'brien@xn--bcher-kva.example")]
    public void Plain_addresses_are_accepted(string email)
    {
        Assert.True(CustomerProfile.TryCreate(Id, Acme with { Email = email }, out _, out _));
    }

    [Theory]
    [InlineData("billing.acme.com")]
    [InlineData("billing@@acme.com")]
    [InlineData("a@b@acme.com")]
    [InlineData("@acme.com")]
    [InlineData("billing@acme")]
    [InlineData("billing@acme.c")]
    [InlineData("billing@10.0.0.1")]
    [InlineData("billing@-acme.com")]
    [InlineData("billing@acme..com")]
    [InlineData(".billing@acme.com")]
    [InlineData("bil..ling@acme.com")]
    [InlineData("Acme <billing@acme.com>")]
    [InlineData("bïlling@acme.com")]
    public void Malformed_addresses_are_rejected(string email)
    {
        Assert.Equal("email must be an address like billing@example.com, at most 254 characters", OnlyError(Acme with { Email = email }));
    }

    [Fact]
    public void Overlong_addresses_are_rejected()
    {
        var local = new string('a', 65);
        Assert.Equal("email must be an address like billing@example.com, at most 254 characters", OnlyError(Acme with { Email = local + "@acme.com" }));
        var host = string.Join('.', Enumerable.Repeat(new string('h', 60), 5)) + ".com";
        Assert.Equal("email must be an address like billing@example.com, at most 254 characters", OnlyError(Acme with { Email = "a@" + host }));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "time_zone 'Mars/Olympus_Mons' is not an IANA time zone such as Europe/Amsterdam")]
    [InlineData("europe/amsterdam", "time_zone 'europe/amsterdam' is not an IANA time zone such as Europe/Amsterdam")]
    public void Time_zones_must_be_iana_ids(string zone, string expected)
    {
        Assert.Equal(expected, OnlyError(Acme with { TimeZone = zone }));
    }

    [Theory]
    [InlineData(-0.01, "vat_rate must be between 0 and 1 (0.21 is 21 %)")]
    [InlineData(1.01, "vat_rate must be between 0 and 1 (0.21 is 21 %)")]
    [InlineData(0.21255, "vat_rate must have at most 4 decimal places")]
    public void Vat_rates_are_fractions_with_at_most_four_decimals(double rate, string expected)
    {
        Assert.Equal(expected, OnlyError(Acme with { VatRate = (decimal)rate }));
    }

    [Fact]
    public void Zero_and_one_are_valid_vat_rates()
    {
        Assert.True(CustomerProfile.TryCreate(Id, Acme with { VatRate = 0m }, out _, out _));
        Assert.True(CustomerProfile.TryCreate(Id, Acme with { VatRate = 1m }, out _, out _));
    }

    [Fact]
    public void Missing_name_and_email_are_both_reported()
    {
        Assert.False(CustomerProfile.TryCreate(Id, new CustomerDraft(" ", null, "XXX", null, null), out _, out var errors));

        Assert.Equal(["currency", "name", "email"], errors.Select(e => e.Field));
        Assert.Equal("email is required", errors[2].Message);
    }
}
