-- A customer whose invoice stayed unpaid after every collection retry is suspended: while any row
-- names the customer, consumes are refused (402 account_suspended) with nothing deducted. One row
-- per unpaid invoice, so paying one of two suspending invoices keeps the account suspended; paying
-- (or waiving) the invoice deletes its row and the customer's grain lets consumes through at once.
CREATE TABLE IF NOT EXISTS account_suspensions (
    customer_id     TEXT   NOT NULL,
    invoice_id      TEXT   NOT NULL,
    suspended_at_ms INTEGER NOT NULL,
    PRIMARY KEY (customer_id, invoice_id)
);
