-- Church clock repair scheduling: functions used by the workshop app.
-- Technicians climb towers alone, so the insurer caps them at three open jobs.

CREATE TABLE IF NOT EXISTS clock_jobs (
    id              bigserial PRIMARY KEY,
    parish          text        NOT NULL,
    mechanism       text        NOT NULL,   -- e.g. 'Smith of Derby flatbed, 1887'
    status          text        NOT NULL DEFAULT 'open',
    parts_estimate  numeric(10,2),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS repair_assignments (
    id             bigserial PRIMARY KEY,
    job_id         bigint NOT NULL REFERENCES clock_jobs(id),
    technician_id  bigint NOT NULL,
    assigned_at    timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz
);

CREATE TABLE IF NOT EXISTS job_parts (
    job_id     bigint  NOT NULL REFERENCES clock_jobs(id),
    part_code  text    NOT NULL,               -- escapement pallets, bushes, gut line
    qty        integer NOT NULL,
    unit_cost  numeric(10,2) NOT NULL,
    PRIMARY KEY (job_id, part_code)
);

-- Assign a technician to a job, respecting the three-open-jobs cap.
CREATE OR REPLACE FUNCTION assign_clock_technician(p_job_id bigint, p_technician_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_open  integer;
    v_id    bigint;
BEGIN
    SELECT count(*) INTO v_open
      FROM repair_assignments
     WHERE technician_id = p_technician_id
       AND completed_at IS NULL;

    IF v_open >= 3 THEN
        RAISE EXCEPTION 'technician % already has % open jobs', p_technician_id, v_open
            USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO repair_assignments (job_id, technician_id)
    VALUES (p_job_id, p_technician_id)
    RETURNING id INTO v_id;

    UPDATE clock_jobs SET status = 'assigned' WHERE id = p_job_id;
    RETURN v_id;
END;
$$;

-- Nightly: refresh the parts estimate shown on each open job card.
CREATE OR REPLACE FUNCTION refresh_parts_estimates()
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r        record;
    v_total  numeric(10,2);
    v_count  integer := 0;
BEGIN
    FOR r IN SELECT id FROM clock_jobs WHERE status IN ('open', 'assigned') LOOP
        SELECT coalesce(sum(qty * unit_cost), 0) INTO v_total FROM job_parts WHERE job_id = r.id;

        UPDATE clock_jobs SET parts_estimate = v_total WHERE id = r.id;
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END;
$$;

-- Job card lookup used by the technician app.
SELECT j.id, j.parish, j.mechanism, j.status, j.parts_estimate
  FROM clock_jobs j
 WHERE j.id = $1;
