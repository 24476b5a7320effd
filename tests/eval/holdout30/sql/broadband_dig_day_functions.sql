-- Rural broadband community scheme: volunteer dig days.
-- Volunteers help lay duct along field margins on a booked day; each dig day
-- has a capacity set by the number of spades, marshals and the landowner's limit.
-- Several parish schemes share the database (scheme_id on every table).

CREATE OR REPLACE FUNCTION join_dig_day(p_scheme_id bigint, p_dig_day_id bigint, p_volunteer_id bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_capacity  int;
    v_taken     int;
    v_signup_id bigint;
BEGIN
    SELECT d.capacity, count(v.id) INTO v_capacity, v_taken FROM dig_days d LEFT JOIN dig_day_volunteers v ON v.dig_day_id = d.id AND v.scheme_id = d.scheme_id
     WHERE d.id = p_dig_day_id
       AND d.scheme_id = p_scheme_id
       AND d.dig_date >= current_date
     GROUP BY d.capacity;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'dig day % not open in scheme %', p_dig_day_id, p_scheme_id
            USING ERRCODE = 'no_data_found';
    END IF;

    IF v_taken >= v_capacity THEN
        RAISE EXCEPTION 'dig day % is full (% of %)', p_dig_day_id, v_taken, v_capacity
            USING ERRCODE = 'check_violation';
    END IF;

    INSERT INTO dig_day_volunteers (scheme_id, dig_day_id, volunteer_id, signed_up_at)
    VALUES (p_scheme_id, p_dig_day_id, p_volunteer_id, now())
    ON CONFLICT (dig_day_id, volunteer_id) DO UPDATE SET signed_up_at = dig_day_volunteers.signed_up_at
    RETURNING id INTO v_signup_id;

    RETURN v_signup_id;
END;
$$;


-- Called by the nightly scheduler two days before each dig: queues an SMS for
-- every volunteer with the meeting point and what to bring.
CREATE OR REPLACE FUNCTION queue_dig_day_reminders(p_scheme_id bigint, p_dig_day_id bigint)
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
    r         record;
    v_phone   text;
    v_name    text;
    v_meet    text;
    v_queued  int := 0;
BEGIN
    SELECT meeting_point INTO v_meet
      FROM dig_days
     WHERE id = p_dig_day_id AND scheme_id = p_scheme_id;

    FOR r IN
        SELECT volunteer_id
          FROM dig_day_volunteers
         WHERE dig_day_id = p_dig_day_id AND scheme_id = p_scheme_id
    LOOP
        SELECT phone, first_name INTO v_phone, v_name FROM volunteers WHERE id = r.volunteer_id AND scheme_id = p_scheme_id;

        IF v_phone IS NOT NULL THEN
            INSERT INTO outbound_sms (scheme_id, to_number, body, queued_at)
            VALUES (p_scheme_id, v_phone,
                    format('Hi %s, dig day on Saturday: meet at %s, 8am. Bring boots and gloves.', v_name, v_meet),
                    now());
            v_queued := v_queued + 1;
        END IF;
    END LOOP;

    RETURN v_queued;
END;
$$;
