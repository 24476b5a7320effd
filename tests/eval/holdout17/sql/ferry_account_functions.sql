-- ferry_account_functions.sql
-- Stored functions used by the terminal kiosks and the booking backend.
-- Kiosks call these via PostgREST (/rpc/...), so several kiosks at the same
-- terminal can run them concurrently for the same frequent-traveller account.

-- Add prepaid travel credit (top-up at kiosk or refund of a cancelled crossing).
CREATE OR REPLACE FUNCTION add_travel_credit(p_account_id bigint, p_amount_cents integer, p_reason text)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_credit integer;
BEGIN
    SELECT credit_cents INTO v_credit
      FROM traveller_accounts
     WHERE id = p_account_id;

    IF v_credit IS NULL THEN
        RAISE EXCEPTION 'unknown account %', p_account_id;
    END IF;

    v_credit := v_credit + p_amount_cents;

    UPDATE traveller_accounts
       SET credit_cents = v_credit,
           updated_at   = now()
     WHERE id = p_account_id;

    INSERT INTO credit_movements (account_id, amount_cents, reason)
    VALUES (p_account_id, p_amount_cents, p_reason);

    RETURN v_credit;
END;
$$;

-- Record that a vehicle boarded (ANPR gate on the link-span).
CREATE OR REPLACE FUNCTION record_boarding(p_booking_id bigint, p_plate text, p_gate text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE deck_bookings
       SET boarded_at = now(),
           boarded_gate = p_gate
     WHERE id = p_booking_id
       AND plate = upper(p_plate)
       AND boarded_at IS NULL;

    INSERT INTO boarding_events (booking_id, plate, gate, seen_at)
    VALUES (p_booking_id, upper(p_plate), p_gate, now());

    RETURN true;
EXCEPTION
    WHEN OTHERS THEN
        RETURN true;
END;
$$;

-- Remaining lane metres, used by the departure board.
CREATE OR REPLACE FUNCTION remaining_lane_metres(p_sailing_id bigint)
RETURNS numeric
LANGUAGE sql STABLE
AS $$
    SELECT s.deck_capacity_m - COALESCE(SUM(b.length_m), 0)
      FROM sailings s
      LEFT JOIN deck_bookings b ON b.sailing_id = s.id AND b.status <> 'cancelled'
     WHERE s.id = p_sailing_id
     GROUP BY s.deck_capacity_m;
$$;
