-- Dry stone walling apprenticeships: course enrolment and waitlist promotion.
-- Called from the booking app as SELECT enrol_apprentice($1, $2);

CREATE OR REPLACE FUNCTION enrol_apprentice(p_course_id bigint, p_apprentice_id bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_capacity  integer;
    v_taken     integer;
    v_enrol_id  bigint;
BEGIN
    SELECT capacity INTO v_capacity
      FROM walling_courses
     WHERE id = p_course_id AND status = 'open';

    IF v_capacity IS NULL THEN
        RAISE EXCEPTION 'course % is not open for enrolment', p_course_id
              USING ERRCODE = 'P0002';
    END IF;

    -- Field days need one instructor per four apprentices on the wall,
    -- so the course size is a hard limit.
    SELECT count(*) INTO v_taken
      FROM course_enrolments
     WHERE course_id = p_course_id AND status = 'active';

    IF v_taken >= v_capacity THEN
        RAISE EXCEPTION 'course % is full', p_course_id USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO course_enrolments (course_id, apprentice_id, status, enrolled_at)
    VALUES (p_course_id, p_apprentice_id, 'active', now())
    RETURNING id INTO v_enrol_id;

    RETURN v_enrol_id;
END;
$$;


-- Nightly: mark which waitlisted apprentices can be offered a place. The
-- advanced courses only take people who already hold the required certificate.
CREATE OR REPLACE FUNCTION promote_waitlist(p_course_id bigint)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    w          record;
    v_level    integer;
    v_offer    bigint[] := '{}';
    v_needed   integer;
BEGIN
    SELECT min_cert_level INTO v_needed FROM walling_courses WHERE id = p_course_id;

    FOR w IN
        SELECT id, apprentice_id
          FROM course_waitlist
         WHERE course_id = p_course_id AND offered_at IS NULL
         ORDER BY joined_at
    LOOP
        SELECT coalesce(max(level), 0) INTO v_level
          FROM apprentice_certificates
         WHERE apprentice_id = w.apprentice_id AND revoked_at IS NULL;

        IF v_level >= v_needed THEN
            v_offer := v_offer || w.id;
        END IF;
    END LOOP;

    UPDATE course_waitlist SET offered_at = now() WHERE id = ANY (v_offer);
    RETURN cardinality(v_offer);
END;
$$;
