-- 0042_desk_holds.sql
-- Members can hold a meeting room for 10 minutes while they complete checkout.
-- The hold blocks the room for other members until it is confirmed or runs out.

BEGIN;

CREATE TABLE room_holds (
    id           bigserial PRIMARY KEY,
    space_id     bigint      NOT NULL REFERENCES spaces(id),
    room_id      bigint      NOT NULL REFERENCES meeting_rooms(id),
    member_id    bigint      NOT NULL REFERENCES members(id),
    slot_start   timestamptz NOT NULL,
    slot_end     timestamptz NOT NULL,
    hold_until   timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
    confirmed    boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX room_holds_room_slot_idx ON room_holds (room_id, slot_start);

-- place_hold: returns the hold id, or NULL if the room is busy for that slot.
CREATE OR REPLACE FUNCTION place_hold(
    p_space_id  bigint,
    p_room_id   bigint,
    p_member_id bigint,
    p_start     timestamptz,
    p_end       timestamptz
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_busy    boolean;
    v_hold_id bigint;
BEGIN
    SELECT EXISTS (
        SELECT 1 FROM room_holds
         WHERE room_id = p_room_id
           AND tstzrange(slot_start, slot_end) && tstzrange(p_start, p_end)
           AND (confirmed OR hold_until > now())
    ) INTO v_busy;

    IF v_busy THEN
        RETURN NULL;
    END IF;

    INSERT INTO room_holds (space_id, room_id, member_id, slot_start, slot_end)
    VALUES (p_space_id, p_room_id, p_member_id, p_start, p_end)
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

CREATE OR REPLACE FUNCTION confirm_hold(p_hold_id bigint, p_member_id bigint)
RETURNS boolean
LANGUAGE sql AS $$
    UPDATE room_holds
       SET confirmed = true
     WHERE id = p_hold_id
       AND member_id = p_member_id
       AND hold_until > now()
    RETURNING true;
$$;

COMMIT;
