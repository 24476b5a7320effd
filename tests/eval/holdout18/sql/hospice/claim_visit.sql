-- claim_visit: a volunteer taps "I'll take it" on an open visit in the app.
-- Returns true when the visit is now theirs. Called via supabase.rpc('claim_visit').

CREATE OR REPLACE FUNCTION public.claim_visit(
    p_org_id       uuid,
    p_visit_id     uuid,
    p_volunteer_id uuid
) RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public
AS $$
DECLARE
    v_status   text;
    v_starts   timestamptz;
BEGIN
    SELECT status, starts_at
      INTO v_status, v_starts
      FROM visits
     WHERE id = p_visit_id
       AND organization_id = p_org_id;

    IF v_status IS DISTINCT FROM 'open' OR v_starts < now() THEN
        RETURN false;
    END IF;

    -- volunteer must be trained for this org
    IF NOT EXISTS (
        SELECT 1 FROM volunteer_memberships m
         WHERE m.organization_id = p_org_id
           AND m.volunteer_id = p_volunteer_id
           AND m.training_completed_at IS NOT NULL
    ) THEN
        RETURN false;
    END IF;

    UPDATE visits
       SET status = 'claimed',
           volunteer_id = p_volunteer_id,
           claimed_at = now()
     WHERE id = p_visit_id
       AND organization_id = p_org_id;

    INSERT INTO visit_events (organization_id, visit_id, actor_id, kind)
    VALUES (p_org_id, p_visit_id, p_volunteer_id, 'claimed');

    PERFORM pg_notify('visit_claimed', p_visit_id::text);
    RETURN true;
EXCEPTION
    WHEN OTHERS THEN
        RETURN false;
END;
$$;

REVOKE ALL ON FUNCTION public.claim_visit(uuid, uuid, uuid) FROM public;
GRANT EXECUTE ON FUNCTION public.claim_visit(uuid, uuid, uuid) TO authenticated;
