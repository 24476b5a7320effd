-- You're right to be suspicious of the original request_vendor_payout():
-- it did `SELECT balance_cents INTO v_balance ...`, checked it in plpgsql and then
-- wrote `SET balance_cents = v_balance - p_amount`. Two payout requests arriving
-- together (double-tap in the vendor app, or the app retrying) could both read
-- the same balance and both succeed, paying the vendor twice.
--
-- Fixed version below:
--   * the balance check and the debit are one conditional UPDATE, so Postgres
--     row locking makes the second request see the already-reduced balance;
--   * each request carries a client-generated idempotency key, so a retry of
--     the same request returns the original payout instead of creating another.

ALTER TABLE vendor_payout_requests
    ADD COLUMN IF NOT EXISTS idempotency_key uuid;

CREATE UNIQUE INDEX IF NOT EXISTS vendor_payout_requests_idem_uk
    ON vendor_payout_requests (vendor_id, idempotency_key);

CREATE OR REPLACE FUNCTION request_vendor_payout(
    p_fair_id   bigint,
    p_vendor_id bigint,
    p_amount    bigint,
    p_idem_key  uuid
)
RETURNS bigint          -- payout request id
LANGUAGE plpgsql
AS $$
DECLARE
    v_req_id bigint;
BEGIN
    IF p_amount <= 0 THEN
        RAISE EXCEPTION 'amount must be positive';
    END IF;

    -- 1. replay of a request we already accepted?
    SELECT id INTO v_req_id
      FROM vendor_payout_requests
     WHERE vendor_id = p_vendor_id AND idempotency_key = p_idem_key;
    IF FOUND THEN
        RETURN v_req_id;
    END IF;

    -- 2. debit only if the money is there (atomic check + write)
    UPDATE vendor_balances
       SET balance_cents = balance_cents - p_amount,
           updated_at    = now()
     WHERE fair_id = p_fair_id
       AND vendor_id = p_vendor_id
       AND balance_cents >= p_amount;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'insufficient balance' USING ERRCODE = 'P0002';
    END IF;

    -- 3. record the request; a concurrent replay with the same key hits the
    --    unique index and its whole transaction (including the debit) rolls back
    INSERT INTO vendor_payout_requests (fair_id, vendor_id, amount_cents, idempotency_key, status)
    VALUES (p_fair_id, p_vendor_id, p_amount, p_idem_key, 'pending')
    RETURNING id INTO v_req_id;

    RETURN v_req_id;
END;
$$;

-- The app should treat SQLSTATE 23505 (unique_violation) on this call as
-- "already submitted" and simply re-read the request by idempotency key.
