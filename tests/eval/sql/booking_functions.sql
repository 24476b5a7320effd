-- Booking logic kept in the database (PostgreSQL 15)

CREATE OR REPLACE FUNCTION book_table(p_restaurant bigint, p_slot timestamptz, p_party int, p_guest bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_taken    int;
    v_capacity int;
    v_id       bigint;
BEGIN
    SELECT capacity INTO v_capacity FROM restaurants WHERE id = p_restaurant;

    SELECT coalesce(sum(party_size), 0) INTO v_taken
      FROM reservations
     WHERE restaurant_id = p_restaurant AND slot = p_slot AND status = 'confirmed';

    IF v_taken + p_party > v_capacity THEN
        RAISE EXCEPTION 'slot is full' USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO reservations (restaurant_id, slot, party_size, guest_id, status)
    VALUES (p_restaurant, p_slot, p_party, p_guest, 'confirmed')
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

CREATE OR REPLACE FUNCTION cancel_reservation(p_id bigint, p_guest bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE reservations SET status = 'cancelled'
     WHERE id = p_id AND guest_id = p_guest AND status = 'confirmed';
    RETURN FOUND;
END;
$$;
