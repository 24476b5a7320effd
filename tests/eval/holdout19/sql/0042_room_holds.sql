-- 0042_room_holds.sql
-- Meeting-room checkout: when a member picks a slot in the app we place a
-- short hold while they confirm (and pay, for non-members). Confirmed holds
-- become rows in room_bookings.

BEGIN;

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE room_bookings (
    id          bigserial PRIMARY KEY,
    space_id    bigint      NOT NULL REFERENCES spaces(id),
    room_id     bigint      NOT NULL REFERENCES meeting_rooms(id),
    member_id   bigint      NOT NULL REFERENCES members(id),
    during      tstzrange   NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- no two confirmed bookings may overlap in the same room
    EXCLUDE USING gist (room_id WITH =, during WITH &&)
);

CREATE TABLE room_holds (
    id          bigserial PRIMARY KEY,
    space_id    bigint      NOT NULL REFERENCES spaces(id),
    room_id     bigint      NOT NULL REFERENCES meeting_rooms(id),
    member_id   bigint      NOT NULL REFERENCES members(id),
    during      tstzrange   NOT NULL,
    hold_until  timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX room_holds_room_idx ON room_holds (room_id, hold_until);
CREATE INDEX room_holds_member_idx ON room_holds (member_id);

-- Place a hold. The meeting_rooms row is locked so two members racing for the
-- same room are serialised; live holds and confirmed bookings both block.
CREATE OR REPLACE FUNCTION place_room_hold(p_room bigint, p_member bigint, p_during tstzrange)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_space bigint;
    v_id    bigint;
BEGIN
    SELECT space_id INTO v_space FROM meeting_rooms WHERE id = p_room FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'room % not found', p_room;
    END IF;

    IF EXISTS (SELECT 1 FROM room_bookings WHERE room_id = p_room AND during && p_during)
       OR EXISTS (SELECT 1 FROM room_holds
                   WHERE room_id = p_room AND during && p_during AND hold_until > now()) THEN
        RETURN NULL;
    END IF;

    INSERT INTO room_holds (space_id, room_id, member_id, during)
    VALUES (v_space, p_room, p_member, p_during)
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

-- Confirm: turn a live hold into a booking (the exclusion constraint is the backstop).
CREATE OR REPLACE FUNCTION confirm_room_hold(p_hold bigint, p_member bigint)
RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO room_bookings (space_id, room_id, member_id, during)
    SELECT space_id, room_id, member_id, during
      FROM room_holds
     WHERE id = p_hold AND member_id = p_member AND hold_until > now()
    RETURNING id;
$$;

COMMIT;
