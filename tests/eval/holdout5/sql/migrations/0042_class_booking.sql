-- 0042_class_booking.sql
-- Fitness studio class booking: members put a spot on hold while they pay,
-- then the hold is turned into a confirmed booking.

BEGIN;

CREATE TABLE class_sessions (
    id           bigserial PRIMARY KEY,
    studio_id    bigint      NOT NULL REFERENCES studios(id),
    instructor_id bigint     NOT NULL REFERENCES instructors(id),
    starts_at    timestamptz NOT NULL,
    capacity     int         NOT NULL CHECK (capacity > 0)
);

CREATE TABLE class_bookings (
    id          bigserial PRIMARY KEY,
    session_id  bigint      NOT NULL REFERENCES class_sessions(id),
    member_id   bigint      NOT NULL REFERENCES members(id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, member_id)
);

CREATE TABLE class_holds (
    id          bigserial PRIMARY KEY,
    session_id  bigint      NOT NULL REFERENCES class_sessions(id),
    member_id   bigint      NOT NULL REFERENCES members(id),
    hold_until  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX class_holds_session_idx ON class_holds (session_id, hold_until);

-- Place a 10 minute hold on a spot if the class is not full.
-- Returns the hold id, raises 'class_full' otherwise.
CREATE OR REPLACE FUNCTION hold_class_spot(p_session_id bigint, p_member_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity int;
    v_taken    int;
    v_hold_id  bigint;
BEGIN
    SELECT capacity INTO v_capacity FROM class_sessions WHERE id = p_session_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown session %', p_session_id;
    END IF;

    SELECT (SELECT count(*) FROM class_bookings b WHERE b.session_id = p_session_id)
         + (SELECT count(*) FROM class_holds h WHERE h.session_id = p_session_id AND h.hold_until > now())
      INTO v_taken;

    IF v_taken >= v_capacity THEN
        RAISE EXCEPTION 'class_full' USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO class_holds (session_id, member_id, hold_until)
    VALUES (p_session_id, p_member_id, now() + interval '10 minutes')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Called from the payment success callback.
CREATE OR REPLACE FUNCTION confirm_class_hold(p_hold_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold       class_holds%ROWTYPE;
    v_booking_id bigint;
BEGIN
    DELETE FROM class_holds
     WHERE id = p_hold_id AND hold_until > now()
    RETURNING * INTO v_hold;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % expired or not found', p_hold_id;
    END IF;

    INSERT INTO class_bookings (session_id, member_id)
    VALUES (v_hold.session_id, v_hold.member_id)
    ON CONFLICT (session_id, member_id) DO NOTHING
    RETURNING id INTO v_booking_id;

    RETURN v_booking_id;
END;
$$;

COMMIT;
