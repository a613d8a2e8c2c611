using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class PaymentIdempotencyKeyTests
{
    [Fact]
    public void The_key_names_what_is_paid_and_the_attempt()
    {
        Assert.Equal("billing:invoice:inv_42:attempt:1", PaymentIdempotencyKey.ForInvoice("inv_42", 1).Value);
        Assert.Equal("billing:credit_note:CN-2026-000001:attempt:12", PaymentIdempotencyKey.Create("credit_note", "CN-2026-000001", 12).ToString());
    }

    [Fact]
    public void A_renewal_key_names_the_customer_and_the_end_of_the_period_it_continues()
    {
        var key = PaymentIdempotencyKey.ForRenewal("cus_4fT9kQ2mZx81LbVw0pRa", 1_796_126_400_000, 2);

        Assert.Equal("billing:renewal:cus_4fT9kQ2mZx81LbVw0pRa.1796126400000:attempt:2", key.Value);
        Assert.True(PaymentIdempotencyKey.TryRead(key.Value, out var subject, out var id, out var attempt));
        Assert.Equal(("renewal", "cus_4fT9kQ2mZx81LbVw0pRa.1796126400000", 2), (subject, id, attempt));
    }

    [Fact]
    public void Equal_inputs_give_equal_keys()
    {
        Assert.Equal(PaymentIdempotencyKey.ForInvoice("inv_42", 3), PaymentIdempotencyKey.Create("invoice", "inv_42", 3));
    }

    [Fact]
    public void Different_attempts_ids_and_subjects_give_different_keys()
    {
        var first = PaymentIdempotencyKey.ForInvoice("inv_42", 1);

        Assert.NotEqual(first, PaymentIdempotencyKey.ForInvoice("inv_42", 2));
        Assert.NotEqual(first, PaymentIdempotencyKey.ForInvoice("inv_43", 1));
        Assert.NotEqual(first, PaymentIdempotencyKey.Create("refund", "inv_42", 1));
    }

    [Fact]
    public void The_longest_key_stays_within_the_providers_limit()
    {
        var key = PaymentIdempotencyKey.Create(
            new string('s', PaymentIdempotencyKey.MaxSubjectLength), new string('9', PaymentIdempotencyKey.MaxIdLength), PaymentIdempotencyKey.MaxAttempt);

        Assert.Equal(182, key.Value.Length);
        Assert.True(key.Value.Length <= PaymentIdempotencyKey.MaxLength);
    }

    [Theory]
    [InlineData("invoice", "inv:42:attempt:9", 1, "idempotency key id may only contain letters, digits, '-', '_' and '.'; the character at position 4 is not allowed")]
    [InlineData("invoice", "inv 42", 1, "idempotency key id may only contain letters, digits, '-', '_' and '.'; the character at position 4 is not allowed")]
    [InlineData("invoice:x", "inv_42", 1, "idempotency key subject may only contain lower-case letters and '_'; the character at position 8 is not allowed")]
    [InlineData("Invoice", "inv_42", 1, "idempotency key subject may only contain lower-case letters and '_'; the character at position 1 is not allowed")]
    [InlineData("", "inv_42", 1, "idempotency key subject is required")]
    [InlineData(null, "inv_42", 1, "idempotency key subject is required")]
    [InlineData("invoice", "", 1, "idempotency key id is required")]
    [InlineData("invoice", null, 1, "idempotency key id is required")]
    [InlineData("invoice", "inv_42", 0, "idempotency key attempt must be 1 to 1000 (got 0)")]
    [InlineData("invoice", "inv_42", 1001, "idempotency key attempt must be 1 to 1000 (got 1001)")]
    public void Parts_that_could_forge_or_break_a_key_are_rejected(string? subject, string? id, int attempt, string expected)
    {
        Assert.False(PaymentIdempotencyKey.TryCreate(subject, id, attempt, out var key, out var reason));

        Assert.Equal(default, key);
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Overlong_parts_are_rejected()
    {
        var longId = new string('a', PaymentIdempotencyKey.MaxIdLength + 1);
        var longSubject = new string('a', PaymentIdempotencyKey.MaxSubjectLength + 1);

        Assert.Equal(
            "idempotency key id must be at most 128 characters (got 129)",
            Assert.Throws<ArgumentException>(() => PaymentIdempotencyKey.ForInvoice(longId, 1)).Message);
        Assert.Equal(
            "idempotency key subject must be at most 32 characters (got 33)",
            Assert.Throws<ArgumentException>(() => PaymentIdempotencyKey.Create(longSubject, "inv_42", 1)).Message);
    }

    [Fact]
    public void A_default_key_cannot_be_sent()
    {
        Assert.Throws<InvariantViolationException>(() => default(PaymentIdempotencyKey).Value);
    }

    [Fact]
    public void A_key_reads_back_into_the_parts_it_was_made_of()
    {
        var key = PaymentIdempotencyKey.Create("plan_purchase", "01a24f918404", 3);

        Assert.True(PaymentIdempotencyKey.TryRead(key.Value, out var subject, out var id, out var attempt));
        Assert.Equal(("plan_purchase", "01a24f918404", 3), (subject, id, attempt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("billing:invoice:inv_42:attempt")]
    [InlineData("other:invoice:inv_42:attempt:1")]
    [InlineData("billing:invoice:inv_42:try:1")]
    [InlineData("billing:invoice:inv_42:attempt:01")]
    [InlineData("billing:invoice:inv_42:attempt:0")]
    [InlineData("billing:Invoice:inv_42:attempt:1")]
    [InlineData("billing:invoice:inv 42:attempt:1")]
    public void Text_no_key_was_made_of_does_not_read(string? text)
    {
        Assert.False(PaymentIdempotencyKey.TryRead(text, out _, out _, out _));
    }
}
