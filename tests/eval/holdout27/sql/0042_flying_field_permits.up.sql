-- 0042_flying_field_permits.up.sql
-- Model-aircraft flying field permits and session slot holds.
-- Several clubs share the platform; every table carries club_id.

BEGIN;

CREATE TABLE flying_fields (
    id              bigserial PRIMARY KEY,
    club_id         bigint      NOT NULL REFERENCES clubs (id),
    name            text        NOT NULL,
    max_pilots      smallint    NOT NULL CHECK (max_pilots > 0),
    max_height_ft   smallint    NOT NULL DEFAULT 400,
    frequency_board boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (club_id, name)
);

CREATE TABLE field_permits (
    id              bigserial PRIMARY KEY,
    club_id         bigint      NOT NULL REFERENCES clubs (id),
    field_id        bigint      NOT NULL REFERENCES flying_fields (id),
    pilot_id        bigint      NOT NULL REFERENCES pilots (id),
    operator_id     text        NOT NULL,          -- CAA operator ID shown on the airframe
    flyer_id        text        NOT NULL,          -- CAA flyer ID (theory test passed)
    valid_from      date        NOT NULL,
    valid_to        date        NOT NULL,
    status          text        NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended', 'revoked')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to >= valid_from)
);

-- One active permit per pilot per field; renewals revoke the old row first.
CREATE UNIQUE INDEX field_permits_one_active
    ON field_permits (club_id, field_id, pilot_id)
    WHERE status = 'active';

CREATE INDEX field_permits_club_valid_to
    ON field_permits (club_id, valid_to);

-- Short holds while a pilot confirms a flying session; a session slot can
-- only be held or booked by one pilot at a time.
CREATE TABLE flight_slot_holds (
    id          bigserial PRIMARY KEY,
    club_id     bigint      NOT NULL REFERENCES clubs (id),
    field_id    bigint      NOT NULL REFERENCES flying_fields (id),
    slot_start  timestamptz NOT NULL,
    pilot_id    bigint      NOT NULL REFERENCES pilots (id),
    expires_at  timestamptz NOT NULL,
    UNIQUE (club_id, field_id, slot_start, pilot_id)
);

CREATE INDEX flight_slot_holds_expires_at
    ON flight_slot_holds (expires_at);

-- Holds that were never confirmed are removed every five minutes.
CREATE OR REPLACE FUNCTION purge_expired_flight_slot_holds() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    removed integer;
BEGIN
    DELETE FROM flight_slot_holds WHERE expires_at < now();
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$;

SELECT cron.schedule(
    'purge-expired-flight-slot-holds',
    '*/5 * * * *',
    $$SELECT purge_expired_flight_slot_holds()$$
);

COMMIT;
