-- You're right that the original function could oversell the car deck: two sessions can both
-- read lane_metres_left = 12, both decide there is room, and both write. Here's a version that
-- does the check and the decrement in a single UPDATE (the row lock serialises concurrent
-- callers), and that is safe to call twice with the same booking reference (client retries).

-- booking_ref comes from the checkout session; make it the idempotency key
ALTER TABLE vehicle_bookings
    ADD CONSTRAINT vehicle_bookings_booking_ref_key UNIQUE (booking_ref);

CREATE OR REPLACE FUNCTION reserve_vehicle_space(
    p_sailing_id   bigint,
    p_booking_ref  text,
    p_vehicle_type text,
    p_length_m     numeric
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_booking_id bigint;
BEGIN
    INSERT INTO vehicle_bookings (sailing_id, booking_ref, vehicle_type, length_m, status)
    VALUES (p_sailing_id, p_booking_ref, p_vehicle_type, p_length_m, 'confirmed')
    ON CONFLICT (booking_ref) DO NOTHING
    RETURNING id INTO v_booking_id;

    IF v_booking_id IS NULL THEN
        -- retry of a booking we already made: return it, don't take deck space again
        SELECT id INTO v_booking_id FROM vehicle_bookings WHERE booking_ref = p_booking_ref;
        RETURN v_booking_id;
    END IF;

    UPDATE sailings
       SET lane_metres_left = lane_metres_left - p_length_m
     WHERE id = p_sailing_id
       AND lane_metres_left >= p_length_m
       AND departs_at > now() + interval '30 minutes';

    IF NOT FOUND THEN
        -- raising aborts the statement, so the INSERT above is rolled back too
        RAISE EXCEPTION 'no deck space left on sailing %', p_sailing_id
            USING ERRCODE = 'P0001', HINT = 'offer the next sailing';
    END IF;

    RETURN v_booking_id;
END;
$$;

-- Cancelling gives the space back exactly once: only the call that flips the status
-- from 'confirmed' to 'cancelled' gets a row back and returns the metres.
CREATE OR REPLACE FUNCTION cancel_vehicle_booking(p_booking_ref text)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_sailing_id bigint;
    v_length     numeric;
BEGIN
    UPDATE vehicle_bookings
       SET status = 'cancelled', cancelled_at = now()
     WHERE booking_ref = p_booking_ref AND status = 'confirmed'
    RETURNING sailing_id, length_m INTO v_sailing_id, v_length;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE sailings
       SET lane_metres_left = lane_metres_left + v_length
     WHERE id = v_sailing_id;

    RETURN true;
END;
$$;
