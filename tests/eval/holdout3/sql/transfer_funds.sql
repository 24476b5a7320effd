-- transfer_funds: moves money between two accounts of the same ledger.
-- Idempotent on p_request_id (the API passes the client's Idempotency-Key).

CREATE TABLE IF NOT EXISTS transfers (
    id          bigserial   PRIMARY KEY,
    request_id  uuid        NOT NULL UNIQUE,
    from_acct   bigint      NOT NULL REFERENCES accounts (id),
    to_acct     bigint      NOT NULL REFERENCES accounts (id),
    amount      numeric(14, 2) NOT NULL CHECK (amount > 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION transfer_funds(
    p_request_id uuid,
    p_from       bigint,
    p_to         bigint,
    p_amount     numeric
) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_transfer_id bigint;
    v_from_bal    numeric(14, 2);
BEGIN
    IF p_from = p_to THEN
        RAISE EXCEPTION 'cannot transfer to the same account';
    END IF;

    -- Claim the request id first; a retry of the same request is a no-op.
    INSERT INTO transfers (request_id, from_acct, to_acct, amount)
    VALUES (p_request_id, p_from, p_to, p_amount)
    ON CONFLICT (request_id) DO NOTHING
    RETURNING id INTO v_transfer_id;

    IF v_transfer_id IS NULL THEN
        SELECT id INTO v_transfer_id FROM transfers WHERE request_id = p_request_id;
        RETURN v_transfer_id;
    END IF;

    -- Lock both rows in a fixed order so concurrent opposite transfers can't deadlock.
    PERFORM 1 FROM accounts WHERE id IN (p_from, p_to) ORDER BY id FOR UPDATE;

    SELECT balance INTO v_from_bal FROM accounts WHERE id = p_from;
    IF v_from_bal < p_amount THEN
        RAISE EXCEPTION 'insufficient funds on account %', p_from USING ERRCODE = 'P0001';
    END IF;

    UPDATE accounts SET balance = balance - p_amount, updated_at = now() WHERE id = p_from;
    UPDATE accounts SET balance = balance + p_amount, updated_at = now() WHERE id = p_to;

    INSERT INTO ledger_entries (transfer_id, account_id, delta)
    VALUES (v_transfer_id, p_from, -p_amount),
           (v_transfer_id, p_to,    p_amount);

    RETURN v_transfer_id;
END;
$$;
