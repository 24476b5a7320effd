-- Here's a race-free version of the two functions you posted.
--
-- The original reserve_bay did `SELECT status FROM bays WHERE id = ...` and then
-- an UPDATE, so two drivers tapping "reserve" on the same bay at the same moment
-- could both see 'free'. Now the condition lives in the UPDATE itself and we
-- check ROW_COUNT. For the wallet we lock the row with FOR UPDATE so the
-- balance check and the debit can't interleave with a concurrent top-up.

CREATE OR REPLACE FUNCTION reserve_bay(p_garage_id bigint, p_bay_id bigint, p_driver_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_rows       int;
    v_session_id bigint;
BEGIN
    UPDATE bays
       SET status = 'reserved', driver_id = p_driver_id, reserved_at = now()
     WHERE id = p_bay_id AND garage_id = p_garage_id AND status = 'free';
    GET DIAGNOSTICS v_rows = ROW_COUNT;

    IF v_rows = 0 THEN
        RETURN NULL;  -- someone else got it (or bay out of service)
    END IF;

    INSERT INTO parking_sessions (garage_id, bay_id, driver_id, started_at)
    VALUES (p_garage_id, p_bay_id, p_driver_id, now())
    RETURNING id INTO v_session_id;

    RETURN v_session_id;
END;
$$;

-- Debit the parking fee when the driver exits.
CREATE OR REPLACE FUNCTION charge_exit(p_session_id bigint, p_driver_id bigint, p_fee_cents int)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_balance int;
BEGIN
    SELECT balance_cents INTO v_balance
      FROM parking_wallets
     WHERE driver_id = p_driver_id
       FOR UPDATE;

    IF v_balance IS NULL OR v_balance < p_fee_cents THEN
        RETURN false;  -- app falls back to card payment at the barrier
    END IF;

    UPDATE parking_wallets SET balance_cents = v_balance - p_fee_cents WHERE driver_id = p_driver_id;

    -- exit events can be replayed by the barrier controller; session_id is unique in wallet_ledger
    INSERT INTO wallet_ledger (driver_id, session_id, amount_cents, kind)
    VALUES (p_driver_id, p_session_id, -p_fee_cents, 'parking_fee')
    ON CONFLICT (session_id) DO NOTHING;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'session % already charged', p_session_id;  -- rolls back the debit
    END IF;

    UPDATE bays SET status = 'free', driver_id = NULL
     WHERE id = (SELECT bay_id FROM parking_sessions WHERE id = p_session_id);
    UPDATE parking_sessions SET ended_at = now(), fee_cents = p_fee_cents WHERE id = p_session_id;
    RETURN true;
END;
$$;
