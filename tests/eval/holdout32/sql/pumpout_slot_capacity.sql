-- Pump-out stations on the canal: slot capacity and booking (PostgreSQL).
-- Busy stations with two pumps offer two boats per 20 minute slot.

CREATE TABLE pumpout_slots (
    id           bigserial PRIMARY KEY,
    station_id   text        NOT NULL REFERENCES pumpout_stations (id),
    slot_start   timestamptz NOT NULL,
    pumps        smallint    NOT NULL DEFAULT 1,
    booked       smallint    NOT NULL DEFAULT 0,
    CONSTRAINT pumpout_slots_station_start_key UNIQUE (station_id, slot_start),
    CONSTRAINT pumpout_slots_booked_ck CHECK (booked BETWEEN 0 AND pumps)
);

CREATE TABLE pumpout_slot_bookings (
    id           bigserial PRIMARY KEY,
    slot_id      bigint      NOT NULL REFERENCES pumpout_slots (id),
    licence_no   text        NOT NULL,
    boat_name    text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pumpout_slot_bookings_one_per_boat UNIQUE (slot_id, licence_no)
);

CREATE OR REPLACE FUNCTION book_pumpout(p_slot_id bigint, p_licence text, p_boat text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_booking_id bigint;
BEGIN
    -- Take a pump in the same statement that checks one is free.
    UPDATE pumpout_slots
       SET booked = booked + 1
     WHERE id = p_slot_id
       AND booked < pumps
       AND slot_start > now();

    IF NOT FOUND THEN
        RAISE EXCEPTION 'slot % is full or in the past', p_slot_id USING ERRCODE = 'P0001';
    END IF;

    -- The unique constraint rejects a second booking for the same boat;
    -- the exception rolls back the increment above with it.
    INSERT INTO pumpout_slot_bookings (slot_id, licence_no, boat_name)
    VALUES (p_slot_id, p_licence, p_boat)
    RETURNING id INTO v_booking_id;

    RETURN v_booking_id;
END;
$$;

CREATE OR REPLACE FUNCTION cancel_pumpout(p_booking_id bigint, p_licence text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_slot_id bigint;
BEGIN
    DELETE FROM pumpout_slot_bookings
     WHERE id = p_booking_id AND licence_no = p_licence
    RETURNING slot_id INTO v_slot_id;

    IF v_slot_id IS NULL THEN
        RETURN false;
    END IF;

    UPDATE pumpout_slots SET booked = booked - 1 WHERE id = v_slot_id;
    RETURN true;
END;
$$;

-- name: OpenSlotsForStation :many
SELECT id, slot_start, pumps - booked AS free_pumps
FROM pumpout_slots
WHERE station_id = $1
  AND slot_start BETWEEN now() AND now() + interval '7 days'
  AND booked < pumps
ORDER BY slot_start
LIMIT 60;
