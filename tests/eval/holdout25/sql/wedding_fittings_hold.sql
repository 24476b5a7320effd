-- Migration 0042: online booking of alteration fittings for wedding dresses.
-- A bride picks a fitting slot in the boutique's calendar; the slot is held
-- for 20 minutes while she fills in the measurements form.

CREATE TABLE fitting_slots (
    id            bigserial PRIMARY KEY,
    boutique_id   bigint      NOT NULL REFERENCES boutiques(id),
    seamstress_id bigint      NOT NULL REFERENCES staff(id),
    starts_at     timestamptz NOT NULL,
    room_capacity smallint    NOT NULL DEFAULT 1,
    UNIQUE (seamstress_id, starts_at)
);

CREATE TABLE fitting_slot_holds (
    id          bigserial PRIMARY KEY,
    slot_id     bigint      NOT NULL REFERENCES fitting_slots(id),
    client_id   bigint      NOT NULL REFERENCES clients(id),
    fitting_no  smallint    NOT NULL,          -- 1st, 2nd or final fitting
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '20 minutes'
);

CREATE INDEX fitting_slot_holds_slot_idx ON fitting_slot_holds (slot_id, expires_at);

-- Called by the booking page: returns the hold id, or NULL when the slot
-- is already taken.
CREATE OR REPLACE FUNCTION hold_fitting_slot(p_slot_id bigint, p_client_id bigint, p_fitting_no smallint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_capacity smallint;
    v_active   integer;
    v_hold_id  bigint;
BEGIN
    SELECT room_capacity INTO v_capacity
      FROM fitting_slots
     WHERE id = p_slot_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'fitting slot % does not exist', p_slot_id;
    END IF;

    SELECT count(*) INTO v_active
      FROM fitting_slot_holds
     WHERE slot_id = p_slot_id
       AND expires_at > now();

    IF v_active >= v_capacity THEN
        RETURN NULL;
    END IF;

    INSERT INTO fitting_slot_holds (slot_id, client_id, fitting_no)
    VALUES (p_slot_id, p_client_id, p_fitting_no)
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Confirming converts the hold into a real appointment.
CREATE OR REPLACE FUNCTION confirm_fitting(p_hold_id bigint)
RETURNS bigint
LANGUAGE sql
AS $$
    INSERT INTO fitting_appointments (slot_id, client_id, fitting_no, confirmed_at)
    SELECT slot_id, client_id, fitting_no, now()
      FROM fitting_slot_holds
     WHERE id = p_hold_id
       AND expires_at > now()
    RETURNING id;
$$;
