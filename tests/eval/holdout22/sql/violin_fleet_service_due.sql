-- Violin rental fleet: which instruments are due a workshop service?
-- A rental violin gets a check (bridge, soundpost, strings, pegs) every
-- 6 months or after 3 rentals, whichever comes first.
-- Used by the workshop planner page: SELECT * FROM instruments_due_service($1, 50);

CREATE OR REPLACE FUNCTION instruments_due_service(p_shop_id bigint, p_limit int DEFAULT 50)
RETURNS TABLE (
    instrument_id    bigint,
    serial_no        text,
    size             text,
    last_serviced_at timestamptz,
    rentals_since    int,
    reason           text
)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    inst        record;
    v_last      timestamptz;
    v_rentals   int;
    v_found     int := 0;
BEGIN
    FOR inst IN
        SELECT i.id, i.serial_no, i.size, i.rentals_since_service
          FROM instruments i
         WHERE i.shop_id = p_shop_id
           AND i.retired_at IS NULL
         ORDER BY i.serial_no
    LOOP
        SELECT max(s.serviced_at) INTO v_last
          FROM service_log s
         WHERE s.shop_id = p_shop_id AND s.instrument_id = inst.id;

        v_rentals := inst.rentals_since_service;  -- bumped by the checkout trigger

        IF v_last IS NULL OR v_last < now() - interval '6 months' OR v_rentals >= 3 THEN
            instrument_id    := inst.id;
            serial_no        := inst.serial_no;
            size             := inst.size;
            last_serviced_at := v_last;
            rentals_since    := v_rentals;
            reason := CASE
                        WHEN v_last IS NULL THEN 'never serviced'
                        WHEN v_rentals >= 3 THEN 'rental count'
                        ELSE 'six-month check'
                      END;
            RETURN NEXT;

            v_found := v_found + 1;
            EXIT WHEN v_found >= p_limit;
        END IF;
    END LOOP;
END;
$$;

-- Mark an instrument as serviced from the workshop tablet.
CREATE OR REPLACE FUNCTION record_service(p_shop_id bigint, p_instrument_id bigint, p_notes text)
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO service_log (shop_id, instrument_id, serviced_at, notes)
    VALUES (p_shop_id, p_instrument_id, now(), p_notes);

    UPDATE instruments
       SET rentals_since_service = 0
     WHERE shop_id = p_shop_id AND id = p_instrument_id;
$$;
