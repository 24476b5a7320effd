-- Migration 0017: kiln firing slots with short checkout holds.
-- PostgreSQL 16 with pg_cron. A member picks a firing in the studio app, the slot
-- is held for 15 minutes while they choose shelves and pay, then confirmed.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE IF NOT EXISTS kiln_firings (
    id          bigserial PRIMARY KEY,
    kiln_id     integer     NOT NULL REFERENCES kilns(id),
    member_id   bigint      NOT NULL REFERENCES members(id),
    firing      tstzrange   NOT NULL,
    cone        smallint    NOT NULL CHECK (cone BETWEEN 1 AND 12),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- No two firings may overlap on the same kiln.
    CONSTRAINT kiln_firings_no_overlap EXCLUDE USING gist (kiln_id WITH =, firing WITH &&)
);

CREATE TABLE IF NOT EXISTS kiln_slot_holds (
    kiln_id     integer     NOT NULL REFERENCES kilns(id),
    starts_at   timestamptz NOT NULL,
    member_id   bigint      NOT NULL REFERENCES members(id),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    PRIMARY KEY (kiln_id, starts_at)
);
CREATE INDEX IF NOT EXISTS kiln_slot_holds_expires_idx ON kiln_slot_holds (expires_at);

-- Take a hold. A stale hold from someone else is replaced; a live one wins.
-- Returns the row only if this member now holds the slot.
-- name: HoldSlot :one
INSERT INTO kiln_slot_holds (kiln_id, starts_at, member_id)
VALUES ($1, $2, $3)
ON CONFLICT (kiln_id, starts_at) DO UPDATE
    SET member_id  = EXCLUDED.member_id,
        expires_at = EXCLUDED.expires_at
    WHERE kiln_slot_holds.expires_at < now()
       OR kiln_slot_holds.member_id = EXCLUDED.member_id
RETURNING kiln_id, starts_at, expires_at;

-- Confirm: consume the member's live hold and create the firing in one statement.
-- The exclusion constraint rejects the insert if a firing already covers the window.
-- name: ConfirmFiring :one
WITH hold AS (
    DELETE FROM kiln_slot_holds
     WHERE kiln_id = $1 AND starts_at = $2 AND member_id = $3 AND expires_at >= now()
    RETURNING kiln_id, starts_at, member_id
)
INSERT INTO kiln_firings (kiln_id, member_id, firing, cone)
SELECT kiln_id, member_id, tstzrange(starts_at, starts_at + interval '12 hours'), $4
FROM hold
RETURNING id;

-- name: ReleaseHold :exec
DELETE FROM kiln_slot_holds WHERE kiln_id = $1 AND starts_at = $2 AND member_id = $3;

-- Abandoned checkouts: clear expired holds every 5 minutes.
SELECT cron.schedule(
    'purge-expired-kiln-holds',
    '*/5 * * * *',
    $$DELETE FROM kiln_slot_holds WHERE expires_at < now() - interval '1 minute'$$
);
