-- GDPR erasure: when a customer's personal data was erased (name, e-mail and shop names
-- pseudonymised, keys revoked, payment details removed); issued invoices are kept as issued.
ALTER TABLE customers ADD COLUMN erased_at_ms BIGINT NULL;
