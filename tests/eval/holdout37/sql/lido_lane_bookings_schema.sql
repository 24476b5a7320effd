-- Migration 0007: lido season lane bookings.
-- One database serves the three lidos run by the trust; each lido is a club
-- row and every booking query filters on club_id.

BEGIN;

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE season_passes (
    id             bigserial PRIMARY KEY,
    club_id        int    NOT NULL REFERENCES clubs(id),
    member_id      bigint NOT NULL REFERENCES members(id),
    season         int    NOT NULL,
    swims_allowed  int    NOT NULL CHECK (swims_allowed > 0),
    swims_used     int    NOT NULL DEFAULT 0 CHECK (swims_used >= 0),
    CONSTRAINT uq_pass UNIQUE (club_id, member_id, season),
    CONSTRAINT swims_within_allowance CHECK (swims_used <= swims_allowed)
);

CREATE TABLE lane_bookings (
    id          bigserial PRIMARY KEY,
    club_id     int         NOT NULL REFERENCES clubs(id),
    pool_id     int         NOT NULL REFERENCES pools(id),
    lane_no     smallint    NOT NULL CHECK (lane_no BETWEEN 1 AND 8),
    slot_start  timestamptz NOT NULL,
    slot_end    timestamptz NOT NULL,
    pass_id     bigint      NOT NULL REFERENCES season_passes(id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_lane_slot UNIQUE (pool_id, lane_no, slot_start),
    -- club rules: a member may not hold overlapping slots in different lanes
    CONSTRAINT no_double_swim EXCLUDE USING gist (
        pass_id WITH =,
        tstzrange(slot_start, slot_end) WITH &&
    )
);

CREATE INDEX lane_bookings_club_day_idx ON lane_bookings (club_id, pool_id, slot_start);

-- Books a lane and uses one swim off the pass in a single transaction.
-- Returns NULL when the lane is taken or the pass has no swims left.
CREATE OR REPLACE FUNCTION book_lane(p_club_id int, p_pass_id bigint, p_pool_id int,
                                     p_lane smallint, p_start timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_booking_id bigint;
BEGIN
    UPDATE season_passes
    SET swims_used = swims_used + 1
    WHERE id = p_pass_id AND club_id = p_club_id AND swims_used < swims_allowed;

    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    INSERT INTO lane_bookings (club_id, pool_id, lane_no, slot_start, slot_end, pass_id)
    VALUES (p_club_id, p_pool_id, p_lane, p_start, p_start + interval '45 minutes', p_pass_id)
    ON CONFLICT ON CONSTRAINT uq_lane_slot DO NOTHING
    RETURNING id INTO v_booking_id;

    IF v_booking_id IS NULL THEN
        -- lane already taken: give the swim back
        UPDATE season_passes SET swims_used = swims_used - 1
        WHERE id = p_pass_id AND club_id = p_club_id;
    END IF;

    RETURN v_booking_id;
END;
$$;

-- Day sheet for the lifeguards' tablet.
CREATE OR REPLACE FUNCTION lane_day_sheet(p_club_id int, p_pool_id int, p_day date)
RETURNS TABLE (lane_no smallint, slot_start timestamptz, member_name text)
LANGUAGE sql STABLE AS $$
    SELECT b.lane_no, b.slot_start, m.display_name
    FROM lane_bookings b
    JOIN season_passes sp ON sp.id = b.pass_id AND sp.club_id = b.club_id
    JOIN members m        ON m.id = sp.member_id
    WHERE b.club_id = p_club_id
      AND b.pool_id = p_pool_id
      AND b.slot_start >= p_day
      AND b.slot_start <  p_day + 1
    ORDER BY b.lane_no, b.slot_start
    LIMIT 400;
$$;

COMMIT;
