-- Lifeboat station open day: visitors pick a boathouse tour slot and get a 10 minute
-- hold while they fill in names for the group. Holds that are not confirmed expire
-- and are purged by pg_cron every five minutes.
-- Migration 0012_tour_holds (PostgreSQL 15 + pg_cron)

BEGIN;

CREATE TABLE tour_slots (
    id          bigserial PRIMARY KEY,
    station_id  int         NOT NULL REFERENCES stations(id),
    starts_at   timestamptz NOT NULL,
    capacity    int         NOT NULL CHECK (capacity > 0)
);

CREATE TABLE tour_holds (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    station_id  int         NOT NULL REFERENCES stations(id),
    slot_id     bigint      NOT NULL REFERENCES tour_slots(id),
    party_size  int         NOT NULL CHECK (party_size BETWEEN 1 AND 6),
    confirmed   boolean     NOT NULL DEFAULT false,
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '10 minutes'
);

CREATE INDEX tour_holds_slot_idx    ON tour_holds (slot_id) WHERE NOT confirmed;
CREATE INDEX tour_holds_expires_idx ON tour_holds (expires_at) WHERE NOT confirmed;

-- Place a hold if the slot still has room. The slot row is locked so concurrent
-- holds for the same slot are counted one after the other.
CREATE OR REPLACE FUNCTION hold_tour_places(p_station int, p_slot bigint, p_party int)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity int;
    v_taken    int;
    v_hold     uuid;
BEGIN
    SELECT capacity INTO v_capacity
      FROM tour_slots
     WHERE id = p_slot AND station_id = p_station
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown tour slot %', p_slot;
    END IF;

    SELECT coalesce(sum(party_size), 0) INTO v_taken
      FROM tour_holds
     WHERE slot_id = p_slot
       AND station_id = p_station
       AND (confirmed OR expires_at > now());

    IF v_taken + p_party > v_capacity THEN
        RETURN NULL;  -- slot full; the page offers the next slot
    END IF;

    INSERT INTO tour_holds (station_id, slot_id, party_size)
    VALUES (p_station, p_slot, p_party)
    RETURNING id INTO v_hold;
    RETURN v_hold;
END;
$$;

CREATE OR REPLACE FUNCTION confirm_tour_hold(p_station int, p_hold uuid)
RETURNS boolean
LANGUAGE sql AS $$
    UPDATE tour_holds
       SET confirmed = true, expires_at = 'infinity'
     WHERE id = p_hold AND station_id = p_station AND NOT confirmed AND expires_at > now()
    RETURNING true;
$$;

-- Housekeeping: drop lapsed holds so the table stays small.
SELECT cron.schedule(
    'purge-expired-tour-holds',
    '*/5 * * * *',
    $$DELETE FROM tour_holds WHERE NOT confirmed AND expires_at < now() - interval '1 minute'$$
);

COMMIT;
