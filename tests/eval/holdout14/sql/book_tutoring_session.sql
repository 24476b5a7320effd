-- book_session(): called by the Node API as SELECT book_session($1, $2, $3)
-- Students sometimes double-click "Book", and popular tutors get several requests for the
-- same hour right after they publish their calendar. Is this safe?

CREATE OR REPLACE FUNCTION book_session(p_student bigint, p_tutor bigint, p_starts timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_credits integer;
    v_rate    integer;
    v_session bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM sessions WHERE tutor_id = p_tutor AND starts_at = p_starts AND status <> 'cancelled') THEN
        RAISE EXCEPTION 'slot already taken';
    END IF;

    SELECT credits INTO v_credits FROM student_wallets WHERE student_id = p_student;
    SELECT hourly_credits INTO v_rate FROM tutors WHERE id = p_tutor;

    IF v_credits < v_rate THEN
        RAISE EXCEPTION 'insufficient credits (have %, need %)', v_credits, v_rate;
    END IF;

    UPDATE student_wallets SET credits = v_credits - v_rate WHERE student_id = p_student;

    INSERT INTO sessions (student_id, tutor_id, starts_at, credits_charged, status)
    VALUES (p_student, p_tutor, p_starts, v_rate, 'booked')
    RETURNING id INTO v_session;

    RETURN v_session;
END;
$$;
