-- 0007_lane_bookings_no_overlap.sql
-- Archery range lane bookings: let the database refuse overlapping bookings
-- for the same lane instead of relying on the app to check first.

BEGIN;

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE IF NOT EXISTS lane_bookings (
    id            bigserial   PRIMARY KEY,
    lane_no       smallint    NOT NULL CHECK (lane_no BETWEEN 1 AND 12),
    member_id     bigint      NOT NULL REFERENCES members(id),
    bow_type      text        NOT NULL CHECK (bow_type IN ('recurve', 'compound', 'longbow', 'barebow')),
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    cancelled_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);

-- No two live bookings may overlap on the same lane.
ALTER TABLE lane_bookings
    ADD CONSTRAINT lane_bookings_no_overlap
    EXCLUDE USING gist (
        lane_no WITH =,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (cancelled_at IS NULL);

-- A member can hold at most one live booking starting at a given time.
CREATE UNIQUE INDEX IF NOT EXISTS lane_bookings_member_slot_uq
    ON lane_bookings (member_id, starts_at)
    WHERE cancelled_at IS NULL;

CREATE INDEX IF NOT EXISTS lane_bookings_lane_start_idx
    ON lane_bookings (lane_no, starts_at);

-- Booking goes straight to INSERT; an overlap raises exclusion_violation
-- (SQLSTATE 23P01), which the API maps to 409 Conflict.
CREATE OR REPLACE FUNCTION book_lane(p_lane smallint, p_member bigint, p_bow text, p_start timestamptz)
RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO lane_bookings (lane_no, member_id, bow_type, starts_at, ends_at)
    VALUES (p_lane, p_member, p_bow, p_start, p_start + interval '1 hour')
    RETURNING id;
$$;

-- Cancelling is a single conditional update; returns no row if it was
-- already cancelled or belongs to someone else.
CREATE OR REPLACE FUNCTION cancel_lane_booking(p_booking bigint, p_member bigint)
RETURNS timestamptz
LANGUAGE sql AS $$
    UPDATE lane_bookings
       SET cancelled_at = now()
     WHERE id = p_booking
       AND member_id = p_member
       AND cancelled_at IS NULL
    RETURNING cancelled_at;
$$;

COMMIT;

-- Day sheet for the range officer: one day, 12 lanes, at most ~150 rows.
SELECT lane_no, starts_at, ends_at, m.display_name, b.bow_type
  FROM lane_bookings b
  JOIN members m ON m.id = b.member_id
 WHERE b.starts_at >= $1::date
   AND b.starts_at <  $1::date + 1
   AND b.cancelled_at IS NULL
 ORDER BY lane_no, starts_at
 LIMIT 200;
