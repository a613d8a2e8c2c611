namespace Billing.Domain.Tests;

public class CatalogIdsTests
{
    [Theory]
    [InlineData(CatalogIds.Customer, 24)]
    [InlineData(CatalogIds.Shop, 25)]
    [InlineData(CatalogIds.ApiKey, 24)]
    [InlineData(CatalogIds.Plan, 25)]
    public void New_ids_carry_their_kind_and_a_fixed_length_random_tail(string kind, int expectedLength)
    {
        var id = CatalogIds.New(kind);

        Assert.Equal(expectedLength, id.Length);
        Assert.StartsWith(kind + "_", id, StringComparison.Ordinal);
        Assert.True(CatalogIds.IsWellFormed(id, kind));
        Assert.NotEqual(id, CatalogIds.New(kind));
    }

    [Theory]
    [InlineData("cus_4fT9kQ2mZx81LbVw0pRa", true)]
    [InlineData("cus_4fT9kQ2mZx81LbVw0pR", false)]
    [InlineData("cus_4fT9kQ2mZx81LbVw0pRaa", false)]
    [InlineData("cus_4fT9kQ2mZx81LbVw0p-a", false)]
    [InlineData("shop_4fT9kQ2mZx81LbVw0pR", false)]
    [InlineData("cus-4fT9kQ2mZx81LbVw0pRa", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsWellFormed_checks_kind_separator_length_and_alphabet(string? id, bool expected)
    {
        Assert.Equal(expected, CatalogIds.IsWellFormed(id, CatalogIds.Customer));
    }

    [Fact]
    public void Unknown_kinds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CatalogIds.New("bogus"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CatalogIds.IsWellFormed("bogus_4fT9kQ2mZx81LbVw0pRa", "bogus"));
    }
}
