-- Migration 2024_05_02: rink bookings for the bowls club green (PostgreSQL 15).
-- The green has six rinks; members book 2 hour sessions, and the online form
-- holds a rink for five minutes while the member picks their rink partners.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_cron;

CREATE TABLE rinks (
    id        smallint PRIMARY KEY,
    label     text     NOT NULL,
    floodlit  boolean  NOT NULL DEFAULT false
);

CREATE TABLE rink_bookings (
    id          bigserial PRIMARY KEY,
    rink_id     smallint   NOT NULL REFERENCES rinks (id),
    member_id   bigint     NOT NULL REFERENCES members (id),
    during      tstzrange  NOT NULL,
    kind        text       NOT NULL DEFAULT 'roll-up'
                CHECK (kind IN ('roll-up', 'match', 'coaching', 'maintenance')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Two bookings can never overlap on the same rink, whoever commits first wins.
    CONSTRAINT rink_bookings_no_overlap EXCLUDE USING gist (rink_id WITH =, during WITH &&)
);

CREATE INDEX rink_bookings_member_idx ON rink_bookings (member_id, lower(during));

CREATE TABLE rink_holds (
    rink_id     smallint    NOT NULL REFERENCES rinks (id),
    during      tstzrange   NOT NULL,
    member_id   bigint      NOT NULL REFERENCES members (id),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '5 minutes',
    PRIMARY KEY (rink_id, during)
);

CREATE INDEX rink_holds_expires_idx ON rink_holds (expires_at);

-- Lapsed holds are removed every five minutes.
SELECT cron.schedule(
    'purge-lapsed-rink-holds',
    '*/5 * * * *',
    $$DELETE FROM rink_holds WHERE expires_at < now()$$
);

-- name: HoldRink :one
-- Takes the hold if nobody has it, or if the previous hold has lapsed.
INSERT INTO rink_holds (rink_id, during, member_id)
VALUES ($1, tstzrange($2, $3), $4)
ON CONFLICT (rink_id, during) DO UPDATE
   SET member_id = EXCLUDED.member_id, expires_at = EXCLUDED.expires_at
 WHERE rink_holds.expires_at < now()
RETURNING rink_id, expires_at;

-- name: FreeRinksForSession :many
SELECT r.id, r.label, r.floodlit
FROM rinks r
WHERE NOT EXISTS (SELECT 1 FROM rink_bookings b WHERE b.rink_id = r.id AND b.during && tstzrange($1, $2))
  AND NOT EXISTS (SELECT 1 FROM rink_holds h WHERE h.rink_id = r.id AND h.during && tstzrange($1, $2)
                                                AND h.expires_at > now())
ORDER BY r.id
LIMIT 6;

-- name: MyUpcomingBookings :many
SELECT b.id, r.label, lower(b.during) AS starts_at, upper(b.during) AS ends_at, b.kind
FROM rink_bookings b
JOIN rinks r ON r.id = b.rink_id
WHERE b.member_id = $1 AND lower(b.during) > now()
ORDER BY lower(b.during)
LIMIT 20;
