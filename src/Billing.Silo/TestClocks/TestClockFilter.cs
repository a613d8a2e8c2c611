namespace Billing.Silo.TestClocks;

/// <summary>
/// The conditions that keep test-clock customers out of billing runs and analytics (unless asked):
/// a test clock's data is a simulation, never the business's.
/// </summary>
public static class TestClockFilter
{
    /// <summary>For a query with the customer as <c>c</c>.</summary>
    public const string OfCustomerAlias = "AND c.test_clock_id IS NULL";

    /// <summary>For a table aliased <paramref name="alias"/> with a <c>customer_id</c>: the partial index on clocked customers keeps the sub-select small.</summary>
    public static string NotOnClock(string alias) => $"AND {alias}.customer_id NOT IN (SELECT id FROM customers WHERE test_clock_id IS NOT NULL)";

    /// <summary>For the <c>shops</c> table, unaliased.</summary>
    public const string OfShops = "AND customer_id NOT IN (SELECT id FROM customers WHERE test_clock_id IS NOT NULL)";
}
