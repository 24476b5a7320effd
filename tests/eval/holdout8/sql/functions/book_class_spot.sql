-- Gym class booking, called from the API as SELECT book_class_spot($1, $2).
-- Capacity is enforced by the conditional UPDATE on gym_classes.booked_count,
-- double bookings by the unique (class_id, member_id) constraint.

ALTER TABLE class_bookings
    ADD CONSTRAINT class_bookings_class_member_key UNIQUE (class_id, member_id);

CREATE OR REPLACE FUNCTION book_class_spot(p_class_id bigint, p_member_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_booking_id bigint;
BEGIN
    -- membership must be active on the day of the class
    IF NOT EXISTS (
        SELECT 1
          FROM memberships m
          JOIN gym_classes c ON c.id = p_class_id
         WHERE m.member_id = p_member_id
           AND m.status = 'active'
           AND c.starts_at::date BETWEEN m.valid_from AND m.valid_until
    ) THEN
        RAISE EXCEPTION 'member % has no active membership', p_member_id
            USING ERRCODE = 'P0002';
    END IF;

    -- take a seat only if one is left
    UPDATE gym_classes
       SET booked_count = booked_count + 1
     WHERE id = p_class_id
       AND booked_count < capacity
       AND starts_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'class % is full or has started', p_class_id
            USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO class_bookings (class_id, member_id, created_at)
    VALUES (p_class_id, p_member_id, now())
    ON CONFLICT (class_id, member_id) DO NOTHING
    RETURNING id INTO v_booking_id;

    IF v_booking_id IS NULL THEN
        -- already booked: give the seat back and return the existing booking
        UPDATE gym_classes SET booked_count = booked_count - 1 WHERE id = p_class_id;
        SELECT id INTO v_booking_id
          FROM class_bookings
         WHERE class_id = p_class_id AND member_id = p_member_id;
    END IF;

    RETURN v_booking_id;
END;
$$;

CREATE OR REPLACE FUNCTION cancel_class_booking(p_booking_id bigint, p_member_id bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_class_id bigint;
BEGIN
    DELETE FROM class_bookings
     WHERE id = p_booking_id AND member_id = p_member_id
    RETURNING class_id INTO v_class_id;

    IF v_class_id IS NULL THEN
        RETURN false;
    END IF;

    UPDATE gym_classes
       SET booked_count = booked_count - 1
     WHERE id = v_class_id AND booked_count > 0;
    RETURN true;
END;
$$;
