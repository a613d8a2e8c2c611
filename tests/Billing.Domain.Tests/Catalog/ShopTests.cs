namespace Billing.Domain.Tests;

public class ShopTests
{
    [Fact]
    public void A_shop_belongs_to_a_customer_by_id()
    {
        var shop = new Shop("shop_0123456789abcdefghij", "cus_0123456789abcdefghij", "Web shop");

        Assert.Equal("cus_0123456789abcdefghij", shop.CustomerId);
        Assert.Equal("Web shop", shop.Name);
    }

    [Fact]
    public void Ids_of_the_wrong_kind_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Shop("shop_0123456789abcdefghij", "shop_0123456789abcdefghij", "Web shop"));

        Assert.Equal("customerId", error.ParamName);
    }

    [Theory]
    [InlineData(null, "name is required")]
    [InlineData("  ", "name is required")]
    [InlineData("tab\there", "name must not contain control characters")]
    public void Names_must_be_present_and_single_line(string? name, string expected)
    {
        Assert.Equal(expected, Assert.Single(Shop.ValidateName(name)).Message);
        Assert.Equal(expected, Assert.Single(CatalogNames.Validate("name", name)).Message);
    }

    [Fact]
    public void Names_are_at_most_100_characters()
    {
        Assert.Empty(Shop.ValidateName(new string('s', 100)));
        Assert.Equal("name must be at most 100 characters (got 101)", Assert.Single(Shop.ValidateName(new string('s', 101))).Message);
    }
}
