-- Community fridge: a grocery donation run (pick up from store, stock fridge)
-- can be claimed by exactly one volunteer. Called from the volunteer app as
--   SELECT * FROM claim_donation_run($1, $2, $3);
-- Returns the run if this volunteer got it, no row if someone else already did.

CREATE OR REPLACE FUNCTION claim_donation_run(
    p_network_id   bigint,
    p_run_id       bigint,
    p_volunteer_id bigint
)
RETURNS TABLE (run_id bigint, store_name text, pickup_window tstzrange)
LANGUAGE plpgsql
AS $$
DECLARE
    v_status     text;
    v_claimed_by bigint;
    v_max_runs   int;
    v_open_runs  int;
BEGIN
    -- lock the run row; a second caller waits here until we commit
    SELECT r.status, r.claimed_by
      INTO v_status, v_claimed_by
      FROM donation_runs r
     WHERE r.id = p_run_id
       AND r.network_id = p_network_id
       FOR UPDATE;

    IF NOT FOUND OR v_status <> 'open' THEN
        RETURN;
    END IF;

    -- volunteers may hold at most N open runs per week; lock the volunteer row
    -- too so two claims by the same volunteer can't both pass the check
    SELECT v.max_runs_per_week
      INTO v_max_runs
      FROM volunteers v
     WHERE v.id = p_volunteer_id
       AND v.network_id = p_network_id
       FOR UPDATE;

    SELECT count(*)
      INTO v_open_runs
      FROM donation_runs r
     WHERE r.network_id = p_network_id
       AND r.claimed_by = p_volunteer_id
       AND r.status = 'claimed'
       AND lower(r.pickup_window) >= date_trunc('week', now());

    IF v_open_runs >= coalesce(v_max_runs, 3) THEN
        RAISE EXCEPTION 'volunteer % already has % runs this week', p_volunteer_id, v_open_runs
            USING ERRCODE = 'P0001';
    END IF;

    UPDATE donation_runs
       SET status = 'claimed', claimed_by = p_volunteer_id, claimed_at = now()
     WHERE id = p_run_id
       AND network_id = p_network_id;

    INSERT INTO donation_run_events (network_id, run_id, volunteer_id, kind, at)
    VALUES (p_network_id, p_run_id, p_volunteer_id, 'claimed', now());

    RETURN QUERY
        SELECT r.id, s.name, r.pickup_window
          FROM donation_runs r
          JOIN partner_stores s ON s.id = r.store_id AND s.network_id = r.network_id
         WHERE r.id = p_run_id
           AND r.network_id = p_network_id;
END;
$$;
