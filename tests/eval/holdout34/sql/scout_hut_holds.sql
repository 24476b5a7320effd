-- 2024_03_02_hut_hire_holds.sql
-- 1st Ashby Scouts hut hire. When someone picks a slot on the hire page we
-- hold it for 20 minutes while they fill in the form and pay the deposit.

CREATE TABLE hut_hire_holds (
    id             bigserial PRIMARY KEY,
    hut_id         int         NOT NULL REFERENCES huts(id),
    hirer_email    text        NOT NULL,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL DEFAULT now() + interval '20 minutes',
    CHECK (ends_at > starts_at)
);

CREATE INDEX hut_hire_holds_hut_time_idx ON hut_hire_holds (hut_id, starts_at, ends_at);

ALTER TABLE hut_bookings
    ADD COLUMN deposit_due_pence  int NOT NULL DEFAULT 5000,
    ADD COLUMN deposit_paid_pence int NOT NULL DEFAULT 0;

-- Places a hold if the slot is free of bookings and live holds.
CREATE OR REPLACE FUNCTION place_hut_hold(
    p_hut_id int, p_email text, p_starts timestamptz, p_ends timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold_id bigint;
BEGIN
    -- serialise holds per hut
    PERFORM 1 FROM huts WHERE id = p_hut_id FOR UPDATE;

    IF EXISTS (
        SELECT 1 FROM hut_bookings b
         WHERE b.hut_id = p_hut_id AND b.status <> 'cancelled'
           AND tstzrange(b.starts_at, b.ends_at) && tstzrange(p_starts, p_ends)
    ) OR EXISTS (
        SELECT 1 FROM hut_hire_holds h
         WHERE h.hut_id = p_hut_id AND h.expires_at > now()
           AND tstzrange(h.starts_at, h.ends_at) && tstzrange(p_starts, p_ends)
    ) THEN
        RETURN NULL;
    END IF;

    INSERT INTO hut_hire_holds (hut_id, hirer_email, starts_at, ends_at)
    VALUES (p_hut_id, p_email, p_starts, p_ends)
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Called by the payment callback for each deposit instalment (some groups
-- pay the deposit in two halves).
CREATE OR REPLACE FUNCTION record_deposit_payment(p_booking_id bigint, p_amount_pence int)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_paid int;
    v_due  int;
BEGIN
    SELECT deposit_paid_pence, deposit_due_pence INTO v_paid, v_due
      FROM hut_bookings
     WHERE id = p_booking_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'booking % not found', p_booking_id;
    END IF;

    UPDATE hut_bookings
       SET deposit_paid_pence = v_paid + p_amount_pence,
           status = CASE WHEN v_paid + p_amount_pence >= v_due THEN 'confirmed' ELSE status END
     WHERE id = p_booking_id;

    RETURN v_paid + p_amount_pence;
END;
$$;
