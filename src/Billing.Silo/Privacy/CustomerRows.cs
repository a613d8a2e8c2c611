namespace Billing.Silo.Privacy;

/// <summary>
/// Where a customer's rows are, table by table: what an export reads and an erasure works on. The
/// conditions take the customer id as <c>@customer_id</c>.
/// </summary>
internal static class CustomerRows
{
    public const string OfShops = "shop_id IN (SELECT id FROM shops WHERE customer_id = @customer_id)";
    public const string OfInvoices = "invoice_id IN (SELECT id FROM invoices WHERE customer_id = @customer_id)";

    /// <summary>The customer's mails: about its invoices, or to its address (renewals, receipts).</summary>
    public const string OfMails = OfInvoices + " OR lower(recipient) = (SELECT email_key FROM customers WHERE id = @customer_id)";

    /// <summary>Audit rows about the customer or one of its shops: their states hold names and e-mails.</summary>
    public const string OfAudit = "resource_id = @customer_id OR resource_id IN (SELECT id FROM shops WHERE customer_id = @customer_id)";

    /// <summary>Columns never exported: hashes of keys and requests, and a sender's claim on a mail.</summary>
    public static readonly IReadOnlySet<string> SecretColumns = new HashSet<string>(["key_hash", "request_hash", "claim_token"], StringComparer.Ordinal);

    /// <summary>Every table holding something of one customer, and the condition selecting it.</summary>
    public static readonly IReadOnlyList<(string Table, string Condition)> Tables =
    [
        ("customers", "id = @customer_id"),
        ("shops", "customer_id = @customer_id"),
        ("api_keys", OfShops),
        ("subscriptions", "customer_id = @customer_id"),
        ("token_grants", "customer_id = @customer_id"),
        ("account_suspensions", "customer_id = @customer_id"),
        ("alerts", "subject = @customer_id"),
        ("shop_billing", OfShops),
        ("shop_terms_history", OfShops),
        ("billing_periods", OfShops),
        ("pending_invoice_lines", OfShops),
        ("revenue_events", OfShops),
        ("invoices", "customer_id = @customer_id"),
        ("credit_notes", "customer_id = @customer_id"),
        ("refunds", OfInvoices),
        ("bank_transfers", OfInvoices),
        ("payments", "customer_id = @customer_id"),
        ("payment_customers", "customer_id = @customer_id"),
        ("payment_methods", "customer_id = @customer_id"),
        ("invoice_collections", "customer_id = @customer_id"),
        ("plan_renewals", "customer_id = @customer_id"),
        ("email_outbox", OfMails),
        ("usage_events", "customer_id = @customer_id"),
        ("audit_log", OfAudit),
    ];
}
