-- book_footplate_slot: take one place on a narrow-gauge footplate experience.
-- Called by the booking API with the client's idempotency key, so a retried
-- request returns the booking it already made instead of taking a second place.
-- railway_id scopes every row (each heritage railway is a separate tenant).

CREATE OR REPLACE FUNCTION book_footplate_slot(
    p_railway_id  bigint,
    p_slot_id     bigint,
    p_guest_id    bigint,
    p_idem_key    text
)
RETURNS TABLE (booking_id bigint, replayed boolean)
LANGUAGE plpgsql
AS $$
DECLARE
    v_places_left int;
    v_booking_id  bigint;
BEGIN
    -- Lock the slot row first; concurrent callers for the same slot queue here.
    SELECT s.places_left
      INTO v_places_left
      FROM footplate_slots s
     WHERE s.id = p_slot_id
       AND s.railway_id = p_railway_id
       AND s.departs_at > now()
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'slot % not bookable on railway %', p_slot_id, p_railway_id
            USING ERRCODE = 'no_data_found';
    END IF;

    INSERT INTO footplate_bookings (railway_id, slot_id, guest_id, idempotency_key, created_at)
    VALUES (p_railway_id, p_slot_id, p_guest_id, p_idem_key, now())
    ON CONFLICT (railway_id, idempotency_key) DO NOTHING
    RETURNING id INTO v_booking_id;

    IF v_booking_id IS NULL THEN
        SELECT b.id INTO v_booking_id
          FROM footplate_bookings b
         WHERE b.railway_id = p_railway_id
           AND b.idempotency_key = p_idem_key;
        RETURN QUERY SELECT v_booking_id, true;
        RETURN;
    END IF;

    IF v_places_left <= 0 THEN
        RAISE EXCEPTION 'slot % is sold out', p_slot_id
            USING ERRCODE = 'check_violation';
    END IF;

    UPDATE footplate_slots
       SET places_left = places_left - 1
     WHERE id = p_slot_id
       AND railway_id = p_railway_id;

    RETURN QUERY SELECT v_booking_id, false;
END;
$$;

-- Supporting constraints (from migration 0017).
ALTER TABLE footplate_slots
    ADD CONSTRAINT footplate_slots_places_nonneg CHECK (places_left >= 0);

CREATE UNIQUE INDEX IF NOT EXISTS footplate_bookings_idem_uq
    ON footplate_bookings (railway_id, idempotency_key);
