-- Village choir wardrobe: functions called from the members' app.
-- PostgreSQL 15.

CREATE TABLE IF NOT EXISTS robes (
    id           serial PRIMARY KEY,
    size         text NOT NULL CHECK (size IN ('XS', 'S', 'M', 'L', 'XL', 'XXL')),
    colour       text NOT NULL DEFAULT 'burgundy',
    status       text NOT NULL DEFAULT 'available',
    notes        text
);

CREATE TABLE IF NOT EXISTS robe_loans (
    id           serial PRIMARY KEY,
    robe_id      int NOT NULL REFERENCES robes(id),
    member_id    int NOT NULL REFERENCES members(id),
    issued_at    timestamptz NOT NULL DEFAULT now(),
    due_back     date NOT NULL,
    returned_at  timestamptz
);

-- Hand out any available robe of the requested size.
CREATE OR REPLACE FUNCTION issue_robe(p_member_id int, p_size text, p_due_back date)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_robe_id int;
    v_loan_id int;
BEGIN
    SELECT r.id INTO v_robe_id FROM robes r WHERE r.size = p_size AND r.status = 'available' ORDER BY r.id LIMIT 1;

    IF v_robe_id IS NULL THEN
        RAISE EXCEPTION 'no % robes left on the rail', p_size
            USING ERRCODE = 'P0002';
    END IF;

    UPDATE robes SET status = 'on_loan' WHERE id = v_robe_id;

    INSERT INTO robe_loans (robe_id, member_id, due_back)
    VALUES (v_robe_id, p_member_id, p_due_back)
    RETURNING id INTO v_loan_id;

    RETURN v_loan_id;
END;
$$;

-- Weekly reminder list for the wardrobe mistress (run from the Sunday job).
CREATE OR REPLACE FUNCTION overdue_robe_reminders()
RETURNS TABLE (loan_id int, member_name text, email text, robe_size text, days_overdue int)
LANGUAGE plpgsql AS $$
DECLARE
    rec record;
BEGIN
    FOR rec IN
        SELECT l.id, l.member_id, r.size, (current_date - l.due_back) AS late
        FROM robe_loans l
        JOIN robes r ON r.id = l.robe_id
        WHERE l.returned_at IS NULL
          AND l.due_back < current_date
        ORDER BY l.due_back
    LOOP
        SELECT m.display_name, m.email INTO member_name, email FROM members m WHERE m.id = rec.member_id;

        loan_id      := rec.id;
        robe_size    := rec.size;
        days_overdue := rec.late;
        RETURN NEXT;
    END LOOP;
END;
$$;

-- Marks a loan returned and puts the robe back on the rail.
CREATE OR REPLACE FUNCTION return_robe(p_loan_id int)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_robe_id int;
BEGIN
    UPDATE robe_loans SET returned_at = now()
    WHERE id = p_loan_id AND returned_at IS NULL
    RETURNING robe_id INTO v_robe_id;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'loan % is not open', p_loan_id USING ERRCODE = 'P0002';
    END IF;

    UPDATE robes SET status = 'available' WHERE id = v_robe_id;
END;
$$;
