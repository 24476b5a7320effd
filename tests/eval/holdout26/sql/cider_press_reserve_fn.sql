-- 0017_press_reservation_functions.sql
-- Reservation functions for the cooperative cider press. Several orchard
-- groups book the same press, so every row carries orchard_id. The app calls
-- these inside its own transaction and retries on serialization failures.

CREATE UNIQUE INDEX IF NOT EXISTS press_reservations_request_uq
    ON press_reservations (orchard_id, request_id);

CREATE OR REPLACE FUNCTION reserve_press_slot(
    p_orchard_id bigint,
    p_slot_id    bigint,
    p_member_id  bigint,
    p_bushels    integer,
    p_request_id uuid
) RETURNS TABLE (reservation_id bigint, bushels_left integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_id   bigint;
    v_left integer;
BEGIN
    -- A retried request with the same id gets the original reservation back.
    INSERT INTO press_reservations (orchard_id, slot_id, member_id, bushels, request_id)
    VALUES (p_orchard_id, p_slot_id, p_member_id, p_bushels, p_request_id)
    ON CONFLICT (orchard_id, request_id) DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        RETURN QUERY
            SELECT r.id, s.bushel_capacity - s.bushels_reserved
            FROM press_reservations r
            JOIN press_slots s ON s.id = r.slot_id AND s.orchard_id = r.orchard_id
            WHERE r.orchard_id = p_orchard_id AND r.request_id = p_request_id;
        RETURN;
    END IF;

    -- Capacity test and increment in one statement; raising here rolls the
    -- reservation insert back with it.
    UPDATE press_slots
    SET bushels_reserved = bushels_reserved + p_bushels
    WHERE id = p_slot_id
      AND orchard_id = p_orchard_id
      AND bushels_reserved + p_bushels <= bushel_capacity
    RETURNING bushel_capacity - bushels_reserved INTO v_left;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'press slot % has no room for % bushels', p_slot_id, p_bushels
            USING ERRCODE = 'P0001';
    END IF;

    RETURN QUERY SELECT v_id, v_left;
END;
$$;

CREATE OR REPLACE FUNCTION cancel_press_reservation(p_orchard_id bigint, p_reservation_id bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_slot    bigint;
    v_bushels integer;
BEGIN
    DELETE FROM press_reservations
    WHERE id = p_reservation_id AND orchard_id = p_orchard_id
    RETURNING slot_id, bushels INTO v_slot, v_bushels;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE press_slots
    SET bushels_reserved = bushels_reserved - v_bushels
    WHERE id = v_slot AND orchard_id = p_orchard_id;
    RETURN true;
END;
$$;
