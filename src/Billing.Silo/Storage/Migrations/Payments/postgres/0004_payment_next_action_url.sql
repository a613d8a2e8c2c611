-- Where the buyer finishes a payment on the provider's pages (PayPal's approve link), kept so a
-- retried purchase or a read of a payment that requires action can show it again.
ALTER TABLE payments ADD COLUMN next_action_url TEXT NULL;
