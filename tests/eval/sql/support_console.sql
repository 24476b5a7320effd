-- Support runbook: refund a failed top-up by hand (run in psql)
BEGIN;

SELECT id, balance_cents, status FROM wallets WHERE user_id = 48213;
-- balance_cents = 1200, the failed top-up was 500
UPDATE wallets SET balance_cents = 1700 WHERE user_id = 48213;

INSERT INTO wallet_entries (wallet_id, delta_cents, reason)
SELECT id, 500, 'manual refund, ticket 9931' FROM wallets WHERE user_id = 48213;

COMMIT;
