-- Dental lab work queue (crowns, bridges, aligner trays).
-- Each lab on the platform is a tenant; every table has lab_id and every function takes it.

-- Technician app: "Give me my next case". Several techs at the same lab poll this at once.
CREATE OR REPLACE FUNCTION claim_next_case(p_lab bigint, p_tech bigint, p_station text)
RETURNS TABLE (case_id bigint, rx_number text, restoration text, due_on date)
LANGUAGE sql AS $$
    UPDATE lab_cases c
       SET status      = 'in_progress',
           assigned_to = p_tech,
           station     = p_station,
           started_at  = now()
     WHERE c.id = (
             SELECT id
               FROM lab_cases
              WHERE lab_id = p_lab
                AND status = 'received'
              ORDER BY rush DESC, due_on, id
              LIMIT 1
                FOR UPDATE SKIP LOCKED
           )
       AND c.lab_id = p_lab
    RETURNING c.id, c.rx_number, c.restoration, c.due_on;
$$;

-- QC step: only a case that is in progress can move to qc; returns false if it already moved.
CREATE OR REPLACE FUNCTION send_to_qc(p_lab bigint, p_case bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lab_cases
       SET status = 'qc', qc_requested_at = now()
     WHERE lab_id = p_lab AND id = p_case AND status = 'in_progress';
    RETURN FOUND;
END;
$$;

-- Dentist rejected the fit: bump the remake counter and requeue, refusing after 3 remakes.
CREATE OR REPLACE FUNCTION request_remake(p_lab bigint, p_case bigint, p_reason text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_remakes integer;
BEGIN
    SELECT remake_count INTO v_remakes
      FROM lab_cases
     WHERE lab_id = p_lab AND id = p_case
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'case % not found for lab %', p_case, p_lab;
    END IF;
    IF v_remakes >= 3 THEN
        RAISE EXCEPTION 'case % already remade % times; escalate to lab manager', p_case, v_remakes;
    END IF;

    UPDATE lab_cases
       SET remake_count = v_remakes + 1,
           status       = 'received',
           assigned_to  = NULL,
           rush         = true
     WHERE lab_id = p_lab AND id = p_case;

    INSERT INTO case_events (lab_id, case_id, kind, detail)
    VALUES (p_lab, p_case, 'remake', p_reason);

    RETURN v_remakes + 1;
END;
$$;
