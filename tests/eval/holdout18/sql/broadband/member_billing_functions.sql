-- Valley Fibre Co-op: billing + install scheduling functions.
-- Called from the member portal API (pgx, default READ COMMITTED) and from
-- the payment processor callback worker (4 concurrent consumers).

CREATE OR REPLACE FUNCTION apply_member_payment(p_member_id bigint, p_amount_cents integer, p_ref text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_balance integer;
    v_new     integer;
BEGIN
    SELECT balance_cents INTO v_balance
      FROM member_accounts
     WHERE member_id = p_member_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'no account for member %', p_member_id;
    END IF;

    v_new := v_balance - p_amount_cents;   -- balance is what the member owes

    UPDATE member_accounts
       SET balance_cents = v_new,
           updated_at    = now()
     WHERE member_id = p_member_id;

    INSERT INTO account_ledger (member_id, kind, amount_cents, balance_after, reference)
    VALUES (p_member_id, 'payment', p_amount_cents, v_new, p_ref);

    RETURN v_new;
END;
$$;


-- Book an install visit for a new connection. Each crew can do
-- crews.daily_capacity installs per day.
CREATE OR REPLACE FUNCTION reserve_install_slot(p_member_id bigint, p_crew_id bigint, p_day date)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity integer;
    v_booked   integer;
    v_id       bigint;
BEGIN
    SELECT daily_capacity INTO v_capacity FROM crews WHERE id = p_crew_id;

    SELECT count(*) INTO v_booked
      FROM install_bookings
     WHERE crew_id = p_crew_id AND install_day = p_day AND status <> 'cancelled';

    IF v_booked >= v_capacity THEN
        RAISE EXCEPTION 'crew % is full on %', p_crew_id, p_day USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO install_bookings (member_id, crew_id, install_day, status)
    VALUES (p_member_id, p_crew_id, p_day, 'booked')
    RETURNING id INTO v_id;

    RETURN v_id;
END;
$$;


-- Monthly usage roll-up from the OLT exporters: atomic upsert, safe to run concurrently.
CREATE OR REPLACE FUNCTION record_usage(p_member_id bigint, p_month date, p_bytes bigint)
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO member_usage (member_id, month, bytes)
    VALUES (p_member_id, p_month, p_bytes)
    ON CONFLICT (member_id, month)
    DO UPDATE SET bytes = member_usage.bytes + EXCLUDED.bytes;
$$;
