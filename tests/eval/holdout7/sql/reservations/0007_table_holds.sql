-- 0007_table_holds.sql
-- Short-lived holds that keep a table for a guest while they fill in the
-- booking form in the widget. The API calls place_hold() when the guest picks
-- a slot and confirm_hold() when they submit.

BEGIN;

CREATE TABLE table_holds (
    id             bigserial   PRIMARY KEY,
    restaurant_id  bigint      NOT NULL REFERENCES restaurants (id),
    table_id       bigint      NOT NULL REFERENCES restaurant_tables (id),
    slot_start     timestamptz NOT NULL,
    session_id     text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    hold_until     timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
    confirmed_at   timestamptz
);

CREATE INDEX table_holds_table_slot_idx ON table_holds (table_id, slot_start, hold_until);

-- Only one live reservation per table and slot.
CREATE UNIQUE INDEX reservations_table_slot_uq
    ON reservations (table_id, slot_start)
    WHERE status <> 'cancelled';

-- Returns the new hold id, or NULL when the table is held or booked.
CREATE OR REPLACE FUNCTION place_hold(
    p_restaurant_id bigint,
    p_table_id      bigint,
    p_slot          timestamptz,
    p_session       text
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_active int;
    v_id     bigint;
BEGIN
    SELECT count(*) INTO v_active
      FROM table_holds
     WHERE table_id = p_table_id
       AND slot_start = p_slot
       AND hold_until > now()
       AND confirmed_at IS NULL;

    IF v_active > 0 THEN
        RETURN NULL;
    END IF;

    IF EXISTS (SELECT 1 FROM reservations
                WHERE table_id = p_table_id AND slot_start = p_slot AND status <> 'cancelled') THEN
        RETURN NULL;
    END IF;

    INSERT INTO table_holds (restaurant_id, table_id, slot_start, session_id)
    VALUES (p_restaurant_id, p_table_id, p_slot, p_session)
    RETURNING id INTO v_id;

    RETURN v_id;
END;
$$;

-- Turns a live hold into a reservation. The partial unique index above is
-- the final guard against double bookings.
CREATE OR REPLACE FUNCTION confirm_hold(p_hold_id bigint, p_session text, p_guest text, p_phone text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold table_holds%ROWTYPE;
    v_res  bigint;
BEGIN
    UPDATE table_holds
       SET confirmed_at = now()
     WHERE id = p_hold_id AND session_id = p_session
       AND hold_until > now() AND confirmed_at IS NULL
    RETURNING * INTO v_hold;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % expired or not yours', p_hold_id USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO reservations (restaurant_id, table_id, slot_start, guest_name, phone, status)
    VALUES (v_hold.restaurant_id, v_hold.table_id, v_hold.slot_start, p_guest, p_phone, 'confirmed')
    RETURNING id INTO v_res;

    RETURN v_res;
END;
$$;

COMMIT;
