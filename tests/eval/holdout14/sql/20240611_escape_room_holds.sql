-- 20240611_escape_room_holds.sql
-- Checkout flow: picking a time creates a 10-minute hold while the party pays.
-- Requires pg_cron (enabled on the RDS parameter group since 2023-11).

BEGIN;

CREATE TABLE slot_holds (
    id          bigserial   PRIMARY KEY,
    slot_id     bigint      NOT NULL REFERENCES room_slots (id) ON DELETE CASCADE,
    session_key text        NOT NULL,
    players     smallint    NOT NULL CHECK (players BETWEEN 2 AND 10),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '10 minutes'
);

-- At most one hold per slot at a time; the API inserts with ON CONFLICT and, if the
-- existing hold is expired, takes it over in the same statement.
CREATE UNIQUE INDEX slot_holds_one_per_slot ON slot_holds (slot_id);
CREATE INDEX slot_holds_expires_idx ON slot_holds (expires_at);

-- A slot can only ever have one live booking.
CREATE UNIQUE INDEX bookings_one_live_per_slot
    ON bookings (slot_id)
    WHERE status <> 'cancelled';

-- Used by POST /api/holds:
--   INSERT INTO slot_holds (slot_id, session_key, players)
--   VALUES ($1, $2, $3)
--   ON CONFLICT (slot_id) DO UPDATE
--      SET session_key = EXCLUDED.session_key,
--          players     = EXCLUDED.players,
--          created_at  = now(),
--          expires_at  = now() + interval '10 minutes'
--    WHERE slot_holds.expires_at < now()
--   RETURNING id;
-- (zero rows back => someone else holds the slot)

CREATE OR REPLACE FUNCTION purge_expired_slot_holds()
RETURNS integer
LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM slot_holds WHERE expires_at < now() - interval '1 minute' RETURNING 1
    )
    SELECT count(*)::int FROM gone;
$$;

SELECT cron.schedule('purge-expired-slot-holds', '*/5 * * * *',
                     $$SELECT purge_expired_slot_holds()$$);

COMMIT;
