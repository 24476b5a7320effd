-- Tool library lending: loan functions and app queries (PostgreSQL 15).
-- One database serves several neighbourhood tool libraries (library_id).

CREATE OR REPLACE FUNCTION check_out_tool(p_library_id bigint, p_tool_id bigint, p_member_id bigint, p_days integer)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_loan_id bigint;
BEGIN
    -- Decrement only while a copy is on the shelf.
    UPDATE tools
       SET copies_available = copies_available - 1
     WHERE id = p_tool_id AND library_id = p_library_id AND copies_available > 0;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'no copies of tool % available', p_tool_id USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO loans (library_id, tool_id, member_id, borrowed_at, due_back)
    VALUES (p_library_id, p_tool_id, p_member_id, now(), current_date + p_days)
    RETURNING id INTO v_loan_id;

    RETURN v_loan_id;
END;
$$;

CREATE OR REPLACE FUNCTION return_tool(p_library_id bigint, p_loan_id bigint, p_condition text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_tool_id   bigint;
    v_available integer;
    v_total     integer;
BEGIN
    UPDATE loans
       SET returned_at = now(), return_condition = p_condition
     WHERE id = p_loan_id AND library_id = p_library_id AND returned_at IS NULL
    RETURNING tool_id INTO v_tool_id;

    IF v_tool_id IS NULL THEN
        RAISE EXCEPTION 'loan % already returned', p_loan_id USING ERRCODE = 'P0002';
    END IF;

    SELECT copies_available, copies_total INTO v_available, v_total
      FROM tools
     WHERE id = v_tool_id AND library_id = p_library_id;

    -- A tool that comes back damaged goes to the repair shelf instead.
    IF p_condition <> 'damaged' THEN
        v_available := least(v_available + 1, v_total);
    END IF;

    UPDATE tools
       SET copies_available = v_available,
           last_returned_at = now()
     WHERE id = v_tool_id AND library_id = p_library_id;
END;
$$;

-- name: MemberActiveLoans :many
SELECT l.id, t.name, l.borrowed_at, l.due_back
FROM loans l
JOIN tools t ON t.id = l.tool_id
WHERE l.library_id = $1 AND l.member_id = $2 AND l.returned_at IS NULL
ORDER BY l.due_back
LIMIT 20;

-- name: AllLoans :many
-- Volunteers' "All loans" screen, newest first.
SELECT l.id, t.name AS tool, m.display_name AS member, l.borrowed_at, l.due_back, l.returned_at, l.return_condition
FROM loans l
JOIN tools t   ON t.id = l.tool_id
JOIN members m ON m.id = l.member_id
WHERE l.library_id = $1
ORDER BY l.borrowed_at DESC;
