-- Seat holds for community choir concerts.
-- hold_concert_seat() is called from the booking page when a patron clicks a
-- seat on the plan; confirm_concert_seat() runs once the payment is taken.

CREATE OR REPLACE FUNCTION hold_concert_seat(
    p_concert_id bigint,
    p_seat_code  text,
    p_patron_id  bigint
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_section   text;
    v_hold_id   bigint;
BEGIN
    SELECT section INTO v_section
    FROM concert_seats
    WHERE concert_id = p_concert_id AND seat_code = p_seat_code;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'seat % does not exist for concert %', p_seat_code, p_concert_id
            USING ERRCODE = 'no_data_found';
    END IF;

    -- A seat is unavailable if it is sold or someone else is mid-checkout.
    PERFORM 1 FROM seat_holds h
    WHERE h.concert_id = p_concert_id
      AND h.seat_code = p_seat_code
      AND (h.confirmed OR h.expires_at > now());

    IF FOUND THEN
        RAISE EXCEPTION 'seat % is taken', p_seat_code
            USING ERRCODE = 'unique_violation';
    END IF;

    INSERT INTO seat_holds (concert_id, seat_code, patron_id, section, confirmed, expires_at)
    VALUES (p_concert_id, p_seat_code, p_patron_id, v_section, false, now() + interval '10 minutes')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;


CREATE OR REPLACE FUNCTION confirm_concert_seat(
    p_hold_id   bigint,
    p_patron_id bigint,
    p_order_ref text
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE seat_holds
    SET confirmed = true,
        order_ref = p_order_ref,
        confirmed_at = now()
    WHERE id = p_hold_id
      AND patron_id = p_patron_id
      AND NOT confirmed
      AND expires_at > now();

    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % has expired or was already confirmed', p_hold_id;
    END IF;
END;
$$;


-- Seating plan view used by the front-of-house tablet at the door.
CREATE OR REPLACE VIEW concert_seat_plan AS
SELECT s.concert_id,
       s.seat_code,
       s.section,
       h.patron_id,
       h.order_ref,
       CASE
           WHEN h.confirmed THEN 'sold'
           WHEN h.expires_at > now() THEN 'held'
           ELSE 'available'
       END AS state
FROM concert_seats s
LEFT JOIN LATERAL (
    SELECT patron_id, order_ref, confirmed, expires_at
    FROM seat_holds
    WHERE concert_id = s.concert_id AND seat_code = s.seat_code
    ORDER BY confirmed DESC, expires_at DESC
    LIMIT 1
) h ON true;
