-- V7__ice_time_bookings.sql
-- Ice-rink scheduling: clubs book ice time on a rink surface. Overlaps are
-- prevented by an exclusion constraint; unpaid holds expire after 30 minutes
-- and are purged by pg_cron.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_cron;

CREATE TABLE rink_surfaces (
    id        bigserial PRIMARY KEY,
    rink_id   bigint NOT NULL REFERENCES rinks(id),
    name      text   NOT NULL,            -- 'Main pad', 'Studio', 'Curling sheet B'
    UNIQUE (rink_id, name)
);

CREATE TABLE ice_bookings (
    id          bigserial PRIMARY KEY,
    surface_id  bigint    NOT NULL REFERENCES rink_surfaces(id),
    club_id     bigint    NOT NULL REFERENCES clubs(id),
    slot        tstzrange NOT NULL,
    status      text      NOT NULL DEFAULT 'held'
                CHECK (status IN ('held', 'confirmed', 'cancelled')),
    hold_until  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ice_bookings_hold_chk
        CHECK ((status = 'held') = (hold_until IS NOT NULL)),
    CONSTRAINT ice_bookings_no_overlap
        EXCLUDE USING gist (surface_id WITH =, slot WITH &&)
        WHERE (status <> 'cancelled')
);

CREATE INDEX ice_bookings_club_idx ON ice_bookings (club_id, lower(slot));
CREATE INDEX ice_bookings_hold_idx ON ice_bookings (hold_until) WHERE status = 'held';

-- Expired holds are removed every minute so the slot frees up again and the
-- table does not accumulate dead holds.
SELECT cron.schedule(
    'purge-expired-ice-holds',
    '* * * * *',
    $$DELETE FROM ice_bookings WHERE status = 'held' AND hold_until < now()$$
);

-- Booking from the app: the exclusion constraint rejects an overlapping slot
-- with SQLSTATE 23P01, which the API maps to 409 Conflict.
CREATE OR REPLACE FUNCTION hold_ice_time(p_surface bigint, p_club bigint, p_slot tstzrange)
RETURNS bigint
LANGUAGE sql
AS $$
    INSERT INTO ice_bookings (surface_id, club_id, slot, status, hold_until)
    VALUES (p_surface, p_club, p_slot, 'held', now() + interval '30 minutes')
    RETURNING id;
$$;

CREATE OR REPLACE FUNCTION confirm_ice_time(p_booking bigint, p_club bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE ice_bookings
       SET status = 'confirmed', hold_until = NULL
     WHERE id = p_booking
       AND club_id = p_club
       AND status = 'held'
       AND hold_until > now();
    RETURN FOUND;
END;
$$;
