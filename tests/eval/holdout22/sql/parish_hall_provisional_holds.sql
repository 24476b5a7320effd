-- 0007_provisional_holds.sql
-- St Aidan's parish hall: hirers (toddler groups, parties, the WI) can put a
-- provisional hold on a room while the committee approves the hire form.
-- A hold lapses after 48 hours if the deposit is not paid.

CREATE TABLE hall_rooms (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,          -- 'Main hall', 'Vestry', 'Kitchen'
    capacity    int  NOT NULL
);

CREATE TABLE hall_hires (
    id          bigserial PRIMARY KEY,
    room_id     int NOT NULL REFERENCES hall_rooms(id),
    hirer_id    bigint NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text NOT NULL DEFAULT 'confirmed',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hall_holds (
    id          bigserial PRIMARY KEY,
    room_id     int NOT NULL REFERENCES hall_rooms(id),
    hirer_id    bigint NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX hall_holds_room_time_idx ON hall_holds (room_id, starts_at);
CREATE INDEX hall_hires_room_time_idx ON hall_hires (room_id, starts_at);

-- Called from the booking form: returns the new hold id, or NULL if the slot
-- clashes with a confirmed hire or someone else's live hold.
CREATE OR REPLACE FUNCTION place_hall_hold(
    p_room_id  int,
    p_hirer_id bigint,
    p_starts   timestamptz,
    p_ends     timestamptz
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_clash   boolean;
    v_hold_id bigint;
BEGIN
    IF p_ends <= p_starts THEN
        RAISE EXCEPTION 'hold must end after it starts';
    END IF;

    SELECT EXISTS (
        SELECT 1 FROM hall_hires
         WHERE room_id = p_room_id AND status = 'confirmed'
           AND tstzrange(starts_at, ends_at) && tstzrange(p_starts, p_ends)
        UNION ALL
        SELECT 1 FROM hall_holds
         WHERE room_id = p_room_id AND expires_at > now()
           AND tstzrange(starts_at, ends_at) && tstzrange(p_starts, p_ends)
    ) INTO v_clash;

    IF v_clash THEN
        RETURN NULL;
    END IF;

    INSERT INTO hall_holds (room_id, hirer_id, starts_at, ends_at, expires_at)
    VALUES (p_room_id, p_hirer_id, p_starts, p_ends, now() + interval '48 hours')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Deposit paid: turn the hold into a confirmed hire.
CREATE OR REPLACE FUNCTION confirm_hall_hold(p_hold_id bigint) RETURNS bigint
LANGUAGE sql AS $$
    WITH h AS (
        DELETE FROM hall_holds WHERE id = p_hold_id AND expires_at > now()
        RETURNING room_id, hirer_id, starts_at, ends_at
    )
    INSERT INTO hall_hires (room_id, hirer_id, starts_at, ends_at)
    SELECT room_id, hirer_id, starts_at, ends_at FROM h
    RETURNING id;
$$;
