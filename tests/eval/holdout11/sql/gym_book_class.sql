-- book_class(member, class_session)
-- Called by the member app when someone taps "Book" on a group class.
-- Members on a class pack spend one credit per booking; unlimited members don't.

CREATE OR REPLACE FUNCTION book_class(p_member_id bigint, p_session_id bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_capacity   int;
    v_booked     int;
    v_plan       text;
    v_credits    int;
    v_booking_id bigint;
BEGIN
    SELECT capacity INTO v_capacity
      FROM class_sessions
     WHERE id = p_session_id AND starts_at > now();

    IF NOT FOUND THEN
        RAISE EXCEPTION 'class session % not bookable', p_session_id;
    END IF;

    SELECT count(*) INTO v_booked
      FROM class_bookings
     WHERE session_id = p_session_id AND cancelled_at IS NULL;

    IF v_booked >= v_capacity THEN
        RAISE EXCEPTION 'class is full' USING ERRCODE = 'P0001';
    END IF;

    SELECT plan, class_credits INTO v_plan, v_credits
      FROM memberships
     WHERE member_id = p_member_id AND status = 'active';

    IF v_plan = 'class_pack' THEN
        IF v_credits < 1 THEN
            RAISE EXCEPTION 'no class credits left' USING ERRCODE = 'P0001';
        END IF;
        UPDATE memberships
           SET class_credits = v_credits - 1
         WHERE member_id = p_member_id;
    END IF;

    INSERT INTO class_bookings (session_id, member_id, booked_at)
    VALUES (p_session_id, p_member_id, now())
    RETURNING id INTO v_booking_id;

    RETURN v_booking_id;
END;
$$;

-- cancel: refunds the credit if cancelled more than 12h before start
CREATE OR REPLACE FUNCTION cancel_booking(p_booking_id bigint, p_member_id bigint)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE class_bookings b
       SET cancelled_at = now()
      FROM class_sessions s
     WHERE b.id = p_booking_id AND b.member_id = p_member_id
       AND b.session_id = s.id AND b.cancelled_at IS NULL;

    IF FOUND THEN
        UPDATE memberships m
           SET class_credits = m.class_credits + 1
          FROM class_bookings b JOIN class_sessions s ON s.id = b.session_id
         WHERE b.id = p_booking_id AND m.member_id = p_member_id
           AND m.plan = 'class_pack' AND s.starts_at > now() + interval '12 hours';
    END IF;
END;
$$;
