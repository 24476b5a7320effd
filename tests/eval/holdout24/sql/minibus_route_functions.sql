-- School minibus routes: functions called by the transport office app.
-- Migration 0042. Drivers log each run from the tablet in the cab
-- (POST /runs -> SELECT log_route_run(...)); the office rebuilds pick-up lists each term.

CREATE OR REPLACE FUNCTION log_route_run(
    p_bus_id      bigint,
    p_route_id    bigint,
    p_driver_id   bigint,
    p_miles       numeric,
    p_pupils      integer
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_run_id      bigint;
    v_term_miles  numeric;
    v_service_due numeric;
BEGIN
    INSERT INTO route_runs (bus_id, route_id, driver_id, miles, pupils_carried, run_at)
    VALUES (p_bus_id, p_route_id, p_driver_id, p_miles, p_pupils, now())
    RETURNING id INTO v_run_id;

    -- Running mileage for the term drives the service reminder on the dashboard.
    SELECT term_miles, next_service_miles INTO v_term_miles, v_service_due
    FROM minibuses
    WHERE id = p_bus_id;

    v_term_miles := coalesce(v_term_miles, 0) + p_miles;

    UPDATE minibuses
    SET term_miles       = v_term_miles,
        service_overdue  = (v_term_miles >= v_service_due),
        last_run_at      = now()
    WHERE id = p_bus_id;

    RETURN v_run_id;
END;
$$;


-- Rebuild the pick-up list for one route from the current pupil addresses.
-- Each pupil is matched to the nearest stop on the route.
CREATE OR REPLACE FUNCTION rebuild_pickups(p_route_id bigint, p_term text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    pupil      record;
    v_stop_id  bigint;
    v_count    integer := 0;
BEGIN
    DELETE FROM route_pickups WHERE route_id = p_route_id AND term = p_term;

    FOR pupil IN
        SELECT p.id, p.home_location
        FROM pupils p
        JOIN transport_requests tr ON tr.pupil_id = p.id
        WHERE tr.route_id = p_route_id AND tr.term = p_term AND tr.approved
    LOOP
        SELECT s.id INTO v_stop_id
        FROM route_stops s
        WHERE s.route_id = p_route_id
        ORDER BY s.location <-> pupil.home_location
        LIMIT 1;

        INSERT INTO route_pickups (route_id, term, pupil_id, stop_id)
        VALUES (p_route_id, p_term, pupil.id, v_stop_id);
        v_count := v_count + 1;
    END LOOP;

    RETURN v_count;
END;
$$;
