-- Historic mill guided tours: short holds while a visitor completes the
-- booking form, plus the housekeeping that clears them.

CREATE TABLE tour_slots (
    id          serial PRIMARY KEY,
    starts_at   timestamptz NOT NULL UNIQUE,
    capacity    int         NOT NULL CHECK (capacity BETWEEN 1 AND 20),   -- the stone floor is small
    guide       text
);

CREATE TABLE tour_holds (
    id          bigserial PRIMARY KEY,
    slot_id     int         NOT NULL REFERENCES tour_slots(id) ON DELETE CASCADE,
    visitors    int         NOT NULL CHECK (visitors > 0),
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tour_holds_slot_idx    ON tour_holds (slot_id, expires_at);
CREATE INDEX tour_holds_expires_idx ON tour_holds (expires_at);

-- Place a 10-minute hold. The slot row is locked so concurrent holds for the
-- same tour are serialised (confirm_tour_booking locks it the same way).
CREATE OR REPLACE FUNCTION hold_tour_places(p_slot_id int, p_visitors int)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity int;
    v_taken    int;
    v_hold_id  bigint;
BEGIN
    SELECT capacity INTO v_capacity FROM tour_slots WHERE id = p_slot_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown tour slot %', p_slot_id;
    END IF;

    SELECT coalesce(sum(visitors), 0) INTO v_taken
      FROM (
            SELECT visitors FROM tour_holds    WHERE slot_id = p_slot_id AND expires_at > now()
            UNION ALL
            SELECT visitors FROM tour_bookings WHERE slot_id = p_slot_id
           ) t;

    IF v_taken + p_visitors > v_capacity THEN
        RAISE EXCEPTION 'only % places left', v_capacity - v_taken USING ERRCODE = 'P0003';
    END IF;

    INSERT INTO tour_holds (slot_id, visitors, expires_at)
    VALUES (p_slot_id, p_visitors, now() + interval '10 minutes')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Delete expired holds in batches so the job never holds long locks.
CREATE OR REPLACE FUNCTION purge_expired_tour_holds(p_batch int DEFAULT 5000)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_deleted int;
    v_total   int := 0;
BEGIN
    LOOP
        DELETE FROM tour_holds
         WHERE id IN (SELECT id FROM tour_holds
                       WHERE expires_at < now() - interval '5 minutes'
                       LIMIT p_batch);
        GET DIAGNOSTICS v_deleted = ROW_COUNT;
        v_total := v_total + v_deleted;
        EXIT WHEN v_deleted < p_batch;
    END LOOP;
    RETURN v_total;
END;
$$;

SELECT cron.schedule('purge-tour-holds', '*/15 * * * *', $$SELECT purge_expired_tour_holds()$$);
