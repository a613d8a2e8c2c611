namespace Billing.Domain.Tests;

public class PlanTests
{
    private const string Id = "plan_0123456789abcdefghij";

    private static readonly PlanDraft Basic = new("Basic Plan", 15m, "eur", 1000, 30, true, "Perfect for small teams");

    private static IReadOnlyList<FieldError> ErrorsOf(PlanDraft draft)
    {
        Assert.False(Plan.TryCreate(Id, draft, out var plan, out var errors));
        Assert.Null(plan);
        return errors;
    }

    [Fact]
    public void A_valid_draft_becomes_a_plan_with_money_and_tokens()
    {
        Assert.True(Plan.TryCreate(Id, Basic, out var plan, out var errors));

        Assert.Empty(errors);
        Assert.Equal(Id, plan.Id);
        Assert.Equal("Basic Plan", plan.Name);
        Assert.Equal(new Money(15.00m, Currency.EUR), plan.Price);
        Assert.Equal("15.00", plan.Price.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new TokenAmount(1000), plan.TokensIncluded);
        Assert.Equal(30, plan.DurationDays);
        Assert.True(plan.IsRecurring);
        Assert.Equal("Perfect for small teams", plan.Description);
    }

    [Fact]
    public void Names_are_trimmed_blank_descriptions_dropped_and_is_recurring_defaults_to_false()
    {
        Assert.True(Plan.TryCreate(Id, new PlanDraft("  Pro  ", 0m, "JPY", 5000, null, null, "   "), out var plan, out _));

        Assert.Equal("Pro", plan.Name);
        Assert.Equal(Money.Zero(Currency.JPY), plan.Price);
        Assert.Null(plan.Description);
        Assert.Null(plan.DurationDays);
        Assert.False(plan.IsRecurring);
    }

    [Fact]
    public void An_empty_draft_lists_every_required_field()
    {
        var errors = ErrorsOf(new PlanDraft(null, null, null, null, null, null, null));

        Assert.Equal(
            ["currency is required", "name is required", "price is required", "tokens_included is required"],
            errors.Select(e => e.Message));
        Assert.Equal(["currency", "name", "price", "tokens_included"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(-0.01, "EUR", "price must be between 0 and 1000000000")]
    [InlineData(1000000000.01, "EUR", "price must be between 0 and 1000000000")]
    [InlineData(15.001, "EUR", "price must have at most 2 decimal places in EUR")]
    [InlineData(15.5, "JPY", "price must have at most 0 decimal places in JPY")]
    public void Prices_must_be_non_negative_bounded_and_whole_minor_units(double price, string currency, string expected)
    {
        var errors = ErrorsOf(Basic with { Price = (decimal)price, Currency = currency });

        Assert.Equal(expected, Assert.Single(errors).Message);
    }

    [Theory]
    [InlineData(0L, "tokens_included must be between 1 and 1000000000000")]
    [InlineData(-5L, "tokens_included must be between 1 and 1000000000000")]
    [InlineData(1_000_000_000_001L, "tokens_included must be between 1 and 1000000000000")]
    public void Tokens_included_must_be_positive_and_bounded(long tokens, string expected)
    {
        Assert.Equal(expected, Assert.Single(ErrorsOf(Basic with { TokensIncluded = tokens })).Message);
    }

    [Theory]
    [InlineData(0, true, "duration_days must be between 1 and 3650")]
    [InlineData(3651, false, "duration_days must be between 1 and 3650")]
    [InlineData(null, true, "duration_days is required when is_recurring is true: it is the renewal period")]
    public void Duration_is_bounded_and_required_for_recurring_plans(int? days, bool recurring, string expected)
    {
        Assert.Equal(expected, Assert.Single(ErrorsOf(Basic with { DurationDays = days, IsRecurring = recurring })).Message);
    }

    [Fact]
    public void Text_fields_are_bounded_and_single_line_names_only()
    {
        Assert.Equal("name must be at most 100 characters (got 101)", Assert.Single(ErrorsOf(Basic with { Name = new string('n', 101) })).Message);
        Assert.Equal("name must not contain control characters", Assert.Single(ErrorsOf(Basic with { Name = "Basic\nPlan" })).Message);
        Assert.Equal("description must be at most 1000 characters (got 1001)", Assert.Single(ErrorsOf(Basic with { Description = new string('d', 1001) })).Message);
        Assert.True(Plan.TryCreate(Id, Basic with { Name = new string('n', 100), Description = "line one\nline two" }, out _, out _));
    }

    [Fact]
    public void Unknown_currencies_are_named_with_the_supported_ones()
    {
        Assert.Equal(
            "currency 'XYZ' is not supported; use one of AUD, BHD, CAD, CHF, CZK, DKK, EUR, GBP, HUF, JPY, KWD, NOK, NZD, PLN, SEK, USD",
            Assert.Single(ErrorsOf(Basic with { Currency = "XYZ" })).Message);
    }

    [Fact]
    public void The_constructor_throws_for_values_that_break_the_rules()
    {
        var error = Assert.Throws<CatalogValidationException>(
            () => new Plan(Id, " ", new Money(-1m, Currency.EUR), new TokenAmount(0), null, false, null));

        Assert.Equal(
            "Invalid plan: name is required; price must be between 0 and 1000000000; tokens_included must be between 1 and 1000000000000.",
            error.Message);
        Assert.Throws<ArgumentException>(() => new Plan("cus_0123456789abcdefghij", "Basic", Money.Zero(Currency.EUR), new TokenAmount(1), null, false, null));
    }
}
