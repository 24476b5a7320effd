-- Claims portal API (exposed through PostgREST as /rpc/...).
-- Multi-tenant: every insurer is an organization; claims, claim_notes and
-- claim_events all carry org_id. The portal passes the caller's org from the JWT.

CREATE OR REPLACE FUNCTION api.list_open_claims(p_org_id bigint, p_limit int DEFAULT 50, p_after bigint DEFAULT 0)
RETURNS TABLE (id bigint, claim_number text, policy_number text, status text,
               reported_at timestamptz, reserve_amount numeric)
LANGUAGE sql STABLE AS $$
    SELECT c.id, c.claim_number, p.policy_number, c.status, c.reported_at, c.reserve_amount
      FROM claims c
      JOIN policies p ON p.id = c.policy_id AND p.org_id = c.org_id
     WHERE c.org_id = p_org_id
       AND c.status IN ('reported', 'under_review', 'awaiting_documents')
       AND c.id > p_after
     ORDER BY c.id
     LIMIT least(p_limit, 200);
$$;

CREATE OR REPLACE FUNCTION api.claim_detail(p_org_id bigint, p_claim_id bigint)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('claim', to_jsonb(c), 'policy', to_jsonb(p), 'adjuster_id', c.adjuster_id)
      FROM claims c
      JOIN policies p ON p.id = c.policy_id
     WHERE c.id = p_claim_id;
$$;

CREATE OR REPLACE FUNCTION api.add_claim_note(p_org_id bigint, p_claim_id bigint, p_author_id bigint, p_body text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO claim_notes (org_id, claim_id, author_id, body)
    SELECT c.org_id, c.id, p_author_id, p_body
      FROM claims c
     WHERE c.id = p_claim_id AND c.org_id = p_org_id
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        RAISE EXCEPTION 'claim % not found', p_claim_id USING ERRCODE = 'P0002';
    END IF;
    RETURN v_id;
END;
$$;

-- Activity feed for the org's dashboard (newest first).
CREATE OR REPLACE FUNCTION api.claim_activity_feed(p_org_id bigint)
RETURNS TABLE (event_id bigint, claim_number text, event_type text,
               payload jsonb, created_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT e.id, c.claim_number, e.event_type, e.payload, e.created_at
      FROM claim_events e
      JOIN claims c ON c.id = e.claim_id AND c.org_id = e.org_id
     WHERE e.org_id = p_org_id
     ORDER BY e.created_at DESC;
$$;
