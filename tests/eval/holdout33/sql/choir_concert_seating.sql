-- Community choir: seating for the Christmas and summer concerts in the
-- parish church. Seats are sold by section (nave, side aisles, gallery).

CREATE OR REPLACE FUNCTION allocate_section_seats(
    p_concert_id int,
    p_section    text,
    p_count      int,
    p_buyer      text
) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_remaining int;
    v_res_id    int;
BEGIN
    IF p_count < 1 OR p_count > 8 THEN
        RAISE EXCEPTION 'between 1 and 8 seats per reservation';
    END IF;

    SELECT seats_remaining INTO v_remaining FROM concert_sections WHERE concert_id = p_concert_id AND section = p_section;

    IF v_remaining IS NULL THEN
        RAISE EXCEPTION 'no section % for concert %', p_section, p_concert_id;
    ELSIF v_remaining < p_count THEN
        RAISE EXCEPTION 'only % seats left in %', v_remaining, p_section;
    END IF;

    UPDATE concert_sections
       SET seats_remaining = v_remaining - p_count
     WHERE concert_id = p_concert_id AND section = p_section;

    INSERT INTO reservations (concert_id, section, seats, buyer_name, paid, created_at)
    VALUES (p_concert_id, p_section, p_count, p_buyer, false, now())
    RETURNING id INTO v_res_id;

    RETURN v_res_id;
END;
$$;

-- Run by the box-office volunteer on the Monday before a concert: unpaid
-- reservations older than a week go back on sale.
CREATE OR REPLACE FUNCTION release_unpaid_reservations(p_concert_id int)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    r         record;
    v_seats   int;
    v_released int := 0;
BEGIN
    FOR r IN
        SELECT id, section
          FROM reservations
         WHERE concert_id = p_concert_id
           AND paid = false
           AND created_at < now() - interval '7 days'
    LOOP
        SELECT seats INTO v_seats FROM reservations WHERE id = r.id;

        UPDATE concert_sections
           SET seats_remaining = seats_remaining + v_seats
         WHERE concert_id = p_concert_id AND section = r.section;

        DELETE FROM reservations WHERE id = r.id;
        v_released := v_released + v_seats;
    END LOOP;

    RETURN v_released;
END;
$$;

-- Box-office summary for the programme printer.
SELECT s.section,
       s.capacity,
       s.seats_remaining,
       coalesce(sum(r.seats) FILTER (WHERE r.paid), 0) AS paid_seats
  FROM concert_sections s
  LEFT JOIN reservations r
         ON r.concert_id = s.concert_id AND r.section = s.section
 WHERE s.concert_id = :concert_id
 GROUP BY s.section, s.capacity, s.seats_remaining
 ORDER BY s.section;
