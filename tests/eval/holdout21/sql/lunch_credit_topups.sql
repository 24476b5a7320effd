-- 0019_lunch_credit_topups.sql
-- Parents top up school lunch credit online; the till charges meals at the
-- canteen. Top-up intents expire after 30 minutes if the card step is not
-- completed, and provider events can be delivered more than once.

CREATE TABLE lunch_accounts (
    id             bigserial   PRIMARY KEY,
    school_id      bigint      NOT NULL,
    pupil_id       bigint      NOT NULL UNIQUE,
    balance_cents  integer     NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE topup_intents (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id     bigint      NOT NULL REFERENCES lunch_accounts (id),
    amount_cents   integer     NOT NULL CHECK (amount_cents BETWEEN 500 and 10000),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL DEFAULT now() + interval '30 minutes'
);
CREATE INDEX topup_intents_expires_idx ON topup_intents (expires_at);

CREATE TABLE provider_events (
    event_id       text        PRIMARY KEY,
    received_at    timestamptz NOT NULL DEFAULT now()
);

-- Called by the payment webhook handler inside its transaction. Returns
-- false when the event was already applied.
CREATE OR REPLACE FUNCTION apply_topup(p_event_id text, p_intent_id uuid)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO provider_events (event_id) VALUES (p_event_id)
    ON CONFLICT (event_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE lunch_accounts a
       SET balance_cents = a.balance_cents + i.amount_cents,
           updated_at    = now()
      FROM topup_intents i
     WHERE i.id = p_intent_id
       AND a.id = i.account_id;

    DELETE FROM topup_intents WHERE id = p_intent_id;
    RETURN true;
END;
$$;

-- Till: charge a meal only when the balance covers it (single statement,
-- so two tills scanning the same card cannot both spend the last credit).
-- name: ChargeMeal :one
UPDATE lunch_accounts
   SET balance_cents = balance_cents - $3,
       updated_at    = now()
 WHERE school_id = $1
   AND pupil_id = $2
   AND balance_cents >= $3
RETURNING balance_cents;

-- Housekeeping, every 15 minutes: abandoned intents and event ids older than
-- the provider's 30-day redelivery window.
SELECT cron.schedule('purge-topup-intents', '*/15 * * * *', $$
    DELETE FROM topup_intents WHERE expires_at < now() - interval '1 hour'
$$);
SELECT cron.schedule('purge-provider-events', '40 3 * * *', $$
    DELETE FROM provider_events WHERE received_at < now() - interval '35 days'
$$);
