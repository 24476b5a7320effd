-- Booking a rider onto a velodrome track session (PostgreSQL 15).
-- Called by the API as: SELECT book_track_session($1, $2, $3);

CREATE TABLE IF NOT EXISTS session_riders (
    session_id  bigint      NOT NULL REFERENCES track_sessions(id),
    rider_id    bigint      NOT NULL REFERENCES riders(id),
    bike_hire   boolean     NOT NULL DEFAULT false,
    booked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, rider_id)
);

CREATE OR REPLACE FUNCTION book_track_session(p_session_id bigint,
                                              p_rider_id   bigint,
                                              p_bike_hire  boolean)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_inserted integer;
BEGIN
    -- Accreditation is required for open-track sessions; the rider row is
    -- locked so a concurrent revocation by a coach waits for us.
    PERFORM 1
       FROM riders r
       JOIN track_sessions s ON s.id = p_session_id
      WHERE r.id = p_rider_id
        AND (s.kind <> 'open_track' OR r.accredited_at IS NOT NULL)
      FOR SHARE OF r;
    IF NOT FOUND THEN
        RETURN 'not_accredited';
    END IF;

    INSERT INTO session_riders (session_id, rider_id, bike_hire)
    VALUES (p_session_id, p_rider_id, p_bike_hire)
    ON CONFLICT (session_id, rider_id) DO NOTHING;

    GET DIAGNOSTICS v_inserted = ROW_COUNT;
    IF v_inserted = 0 THEN
        RETURN 'already_booked';
    END IF;

    -- Capacity and hire-bike stock are checked and taken in one statement.
    UPDATE track_sessions
       SET booked     = booked + 1,
           hire_bikes = hire_bikes - CASE WHEN p_bike_hire THEN 1 ELSE 0 END
     WHERE id = p_session_id
       AND booked < capacity
       AND (NOT p_bike_hire OR hire_bikes > 0);

    IF NOT FOUND THEN
        -- undo the rider row inserted above; the caller sees 'full'
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'session_full';
    END IF;

    RETURN 'booked';
END;
$$;

-- Wrapper used by the API so a full session is a normal result rather
-- than an error bubbling up to the client.
CREATE OR REPLACE FUNCTION try_book_track_session(p_session_id bigint,
                                                  p_rider_id   bigint,
                                                  p_bike_hire  boolean)
RETURNS text
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN book_track_session(p_session_id, p_rider_id, p_bike_hire);
EXCEPTION
    WHEN SQLSTATE 'P0001' THEN
        RAISE LOG 'track session % full for rider %', p_session_id, p_rider_id;
        RETURN 'full';
END;
$$;
