-- Allotment shed repair requests. Several allotment associations share the
-- system; association_id is on every table.

-- Approve spending from the association's repair fund. The fund row is
-- locked so two committee members approving at once cannot overspend.
CREATE OR REPLACE FUNCTION approve_repair_spend(
    p_association_id int,
    p_request_id     bigint,
    p_amount_pence   int,
    p_approved_by    int
) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_balance int;
BEGIN
    SELECT balance_pence INTO v_balance
      FROM repair_funds
     WHERE association_id = p_association_id
       FOR UPDATE;

    IF v_balance IS NULL THEN
        RAISE EXCEPTION 'no repair fund for association %', p_association_id;
    ELSIF v_balance < p_amount_pence THEN
        RAISE EXCEPTION 'fund has only % pence', v_balance USING ERRCODE = 'P0004';
    END IF;

    UPDATE repair_funds
       SET balance_pence = balance_pence - p_amount_pence
     WHERE association_id = p_association_id;

    UPDATE shed_repair_requests
       SET status = 'approved', approved_by = p_approved_by, approved_pence = p_amount_pence, approved_at = now()
     WHERE id = p_request_id
       AND association_id = p_association_id
       AND status = 'submitted';

    IF NOT FOUND THEN
        RAISE EXCEPTION 'request % is not awaiting approval', p_request_id;
    END IF;

    RETURN v_balance - p_amount_pence;
END;
$$;

-- Assign every unassigned request to the volunteer covering that site, in
-- one statement instead of walking the requests one by one.
CREATE OR REPLACE FUNCTION assign_repair_volunteers(p_association_id int)
RETURNS int
LANGUAGE sql AS $$
    WITH assigned AS (
        UPDATE shed_repair_requests r
           SET volunteer_id = v.volunteer_id, status = 'assigned'
          FROM site_volunteers v
         WHERE v.association_id = p_association_id
           AND v.site_id = r.site_id
           AND r.association_id = p_association_id
           AND r.status = 'approved'
           AND r.volunteer_id IS NULL
        RETURNING r.id
    )
    SELECT count(*)::int FROM assigned;
$$;

-- Committee list: open requests for one association, 25 per page.
SELECT r.id,
       r.plot_no,
       r.shed_problem,        -- 'roof felt', 'door hinge', 'rotten floor' ...
       r.status,
       r.submitted_at,
       p.holder_name
  FROM shed_repair_requests r
  JOIN plots p ON p.id = r.plot_id AND p.association_id = r.association_id
 WHERE r.association_id = :association_id
   AND r.status IN ('submitted', 'approved', 'assigned')
 ORDER BY r.submitted_at
 LIMIT 25 OFFSET :offset;
