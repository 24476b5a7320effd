-- 0012_charter_payments.sql
-- Yacht charters: payment webhook bookkeeping and time-limited quotes.
-- Requires pg_cron (enabled on the RDS parameter group in 0003).

BEGIN;

-- Every provider event is recorded before it is applied; the webhook handler
-- does INSERT ... ON CONFLICT (provider, event_id) DO NOTHING and skips the
-- event when no row was inserted.
CREATE TABLE processed_payment_events (
    provider     text        NOT NULL,              -- 'stripe', 'adyen'
    event_id     text        NOT NULL,
    operator_id  bigint      NOT NULL REFERENCES operators (id),
    charter_id   bigint      REFERENCES charters (id),
    event_type   text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

-- Quotes a broker sends a customer; valid for a limited time.
CREATE TABLE charter_quotes (
    id            bigserial   PRIMARY KEY,
    operator_id   bigint      NOT NULL REFERENCES operators (id),
    yacht_id      bigint      NOT NULL REFERENCES yachts (id),
    customer_email text       NOT NULL,
    starts_on     date        NOT NULL,
    ends_on       date        NOT NULL,
    price_cents   bigint      NOT NULL,
    valid_until   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on > starts_on)
);

CREATE INDEX charter_quotes_operator_idx ON charter_quotes (operator_id, created_at DESC);
CREATE INDEX charter_quotes_valid_until_idx ON charter_quotes (valid_until);

COMMIT;

-- Housekeeping (outside the transaction: cron.schedule is not transactional).
-- Expired quotes are kept a week for "your quote expired, re-quote?" emails.
SELECT cron.schedule(
    'purge-expired-charter-quotes',
    '15 3 * * *',
    $$DELETE FROM charter_quotes WHERE valid_until < now() - interval '7 days'$$
);

-- Providers stop retrying after 3 days; keep event ids for 90 to be safe.
SELECT cron.schedule(
    'purge-old-payment-events',
    '30 3 * * *',
    $$DELETE FROM processed_payment_events WHERE received_at < now() - interval '90 days'$$
);
