-- Here's the fixed version of draw_jury_panel. The race you saw (two clerks
-- drawing panels for different trials at the same time and getting the same
-- jurors) happened because the old function SELECTed available jurors and
-- UPDATEd them later without any lock. Now:
--
--   1. candidates are locked with FOR UPDATE SKIP LOCKED, so a concurrent
--      draw skips jurors another transaction is already taking;
--   2. the UPDATE re-checks status = 'available' and we verify the row count;
--   3. the court filter is applied on every juror query.

CREATE OR REPLACE FUNCTION draw_jury_panel(
    p_court_id  int,
    p_trial_id  bigint,
    p_size      int
) RETURNS SETOF bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_ids       bigint[];
    v_updated   int;
    v_min_size  int;
BEGIN
    -- trial_types is a global reference table (criminal, civil, grand jury);
    -- it has no court column.
    SELECT tt.min_panel_size INTO v_min_size
      FROM trials t
      JOIN trial_types tt ON tt.id = t.trial_type_id
     WHERE t.id = p_trial_id AND t.court_id = p_court_id;

    IF v_min_size IS NULL THEN
        RAISE EXCEPTION 'trial % not found in court %', p_trial_id, p_court_id;
    END IF;
    IF p_size < v_min_size THEN
        RAISE EXCEPTION 'panel of % is below the minimum of %', p_size, v_min_size;
    END IF;

    SELECT array_agg(id) INTO v_ids
      FROM (
        SELECT j.id
          FROM jurors j
         WHERE j.court_id = p_court_id
           AND j.status = 'available'
           AND j.summons_week = date_trunc('week', now())::date
         ORDER BY random()
         LIMIT p_size
           FOR UPDATE SKIP LOCKED
      ) picked;

    IF coalesce(array_length(v_ids, 1), 0) < p_size THEN
        RAISE EXCEPTION 'only % jurors available this week', coalesce(array_length(v_ids, 1), 0);
    END IF;

    UPDATE jurors
       SET status = 'empanelled', trial_id = p_trial_id, updated_at = now()
     WHERE id = ANY (v_ids)
       AND court_id = p_court_id
       AND status = 'available';
    GET DIAGNOSTICS v_updated = ROW_COUNT;

    IF v_updated <> p_size THEN
        RAISE EXCEPTION 'panel draw conflicted (% of % jurors updated), retry', v_updated, p_size;
    END IF;

    RETURN QUERY SELECT unnest(v_ids);
END;
$$;
