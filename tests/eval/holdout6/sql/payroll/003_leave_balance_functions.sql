-- HR / payroll: leave balance bookkeeping.
-- Called from the HR portal (managers approving requests) and from the
-- monthly accrual job, which runs while managers are also approving leave.

CREATE TABLE IF NOT EXISTS leave_balances (
    company_id     bigint        NOT NULL,
    employee_id    bigint        NOT NULL,
    leave_type     text          NOT NULL CHECK (leave_type IN ('annual', 'sick', 'comp')),
    remaining_days numeric(6, 2) NOT NULL DEFAULT 0 CHECK (remaining_days >= 0),
    updated_at     timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, employee_id, leave_type)
);

CREATE TABLE IF NOT EXISTS leave_ledger (
    id          bigserial PRIMARY KEY,
    company_id  bigint        NOT NULL,
    employee_id bigint        NOT NULL,
    leave_type  text          NOT NULL,
    delta_days  numeric(6, 2) NOT NULL,
    reason      text          NOT NULL,
    created_at  timestamptz   NOT NULL DEFAULT now()
);

-- Approve a leave request: deduct days only if enough remain.
CREATE OR REPLACE FUNCTION take_leave(p_company bigint, p_employee bigint, p_type text, p_days numeric)
RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    v_left numeric;
BEGIN
    UPDATE leave_balances
       SET remaining_days = remaining_days - p_days,
           updated_at     = now()
     WHERE company_id = p_company AND employee_id = p_employee
       AND leave_type = p_type AND remaining_days >= p_days
    RETURNING remaining_days INTO v_left;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'insufficient % leave for employee %', p_type, p_employee;
    END IF;

    INSERT INTO leave_ledger (company_id, employee_id, leave_type, delta_days, reason)
    VALUES (p_company, p_employee, p_type, -p_days, 'leave approved');
    RETURN v_left;
END;
$$;

-- Monthly accrual / manual top-up (e.g. comp days after weekend on-call).
CREATE OR REPLACE FUNCTION grant_leave(p_company bigint, p_employee bigint, p_type text, p_days numeric, p_reason text)
RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    v_current numeric;
    v_new     numeric;
BEGIN
    SELECT remaining_days INTO v_current
      FROM leave_balances
     WHERE company_id = p_company AND employee_id = p_employee AND leave_type = p_type;

    IF NOT FOUND THEN
        v_current := 0;
        INSERT INTO leave_balances (company_id, employee_id, leave_type)
        VALUES (p_company, p_employee, p_type);
    END IF;

    -- annual leave is capped at 30 days carried balance
    v_new := v_current + p_days;
    IF p_type = 'annual' AND v_new > 30 THEN
        v_new := 30;
    END IF;

    UPDATE leave_balances
       SET remaining_days = v_new, updated_at = now()
     WHERE company_id = p_company AND employee_id = p_employee AND leave_type = p_type;

    INSERT INTO leave_ledger (company_id, employee_id, leave_type, delta_days, reason)
    VALUES (p_company, p_employee, p_type, v_new - v_current, p_reason);
    RETURN v_new;
END;
$$;
