using NodaTime;

namespace Billing.Domain.Tests;

public class AlertQueryTests
{
    [Fact]
    public void WithoutParametersListsTheNewestHundredOfEveryKind()
    {
        Assert.True(AlertQuery.TryCreate(null, null, null, out var query, out var errors));

        Assert.Empty(errors);
        Assert.Equal(new AlertQuery(null, null, 100), query);
    }

    [Theory]
    [InlineData("2026-11-21T00:00:00Z")]
    [InlineData("2026-11-21T01:00:00+01:00")]
    public void SinceIsAnInstantWithZOrAnOffset(string since)
    {
        Assert.True(AlertQuery.TryCreate("token_80", since, "500", out var query, out _));

        Assert.Equal(new AlertQuery("token_80", Instant.FromUtc(2026, 11, 21, 0, 0), 500), query);
    }

    [Fact]
    public void ReportsEveryBadParameterByName()
    {
        Assert.False(AlertQuery.TryCreate("cost_monthly", "2026-11-21", "0", out var query, out var errors));

        Assert.Null(query);
        Assert.Equal(["kind", "since", "limit"], errors.Select(e => e.Field));
        Assert.Equal("since '2026-11-21' is not an ISO 8601 instant such as 2026-11-21T00:00:00Z", errors[1].Message);
    }

    [Theory]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("")]
    public void LimitIsAWholeNumberFromOneToFiveHundred(string limit)
    {
        Assert.False(AlertQuery.TryCreate(null, null, limit, out _, out var errors));

        Assert.Equal("limit must be a whole number from 1 to 500", Assert.Single(errors).Message);
    }
}
