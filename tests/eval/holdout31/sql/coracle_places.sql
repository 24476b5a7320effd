-- Coracle-building course places (PostgreSQL).
-- Each river trust is a tenant (org_id). Places are claimed with a conditional UPDATE,
-- and the unique constraint stops a member holding two places on one course.

CREATE TABLE coracle_courses (
    id          bigserial PRIMARY KEY,
    org_id      int         NOT NULL REFERENCES orgs(id),
    title       text        NOT NULL,
    starts_on   date        NOT NULL,
    capacity    int         NOT NULL CHECK (capacity BETWEEN 1 AND 12),
    places_left int         NOT NULL CHECK (places_left >= 0),
    willow_kind text        NOT NULL DEFAULT 'hazel and willow'
);

CREATE TABLE coracle_enrolments (
    id          bigserial PRIMARY KEY,
    org_id      int         NOT NULL REFERENCES orgs(id),
    course_id   bigint      NOT NULL REFERENCES coracle_courses(id),
    member_id   bigint      NOT NULL REFERENCES members(id),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coracle_enrolments_once UNIQUE (course_id, member_id)
);

CREATE INDEX coracle_courses_org_start_idx ON coracle_courses (org_id, starts_on, id);

-- Returns the enrolment id, or NULL when the member was already on the course.
-- Raises 'course_full' when no place is left.
CREATE OR REPLACE FUNCTION enrol_on_course(p_org int, p_course bigint, p_member bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO coracle_enrolments (org_id, course_id, member_id)
    VALUES (p_org, p_course, p_member)
    ON CONFLICT ON CONSTRAINT coracle_enrolments_once DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        RETURN NULL;  -- already enrolled, no place taken
    END IF;

    UPDATE coracle_courses
       SET places_left = places_left - 1
     WHERE id = p_course AND org_id = p_org AND places_left > 0;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'course_full' USING ERRCODE = 'P0002';  -- rolls back the enrolment
    END IF;

    RETURN v_id;
END;
$$;

-- Withdraw: remove the enrolment and give the place back in one statement.
CREATE OR REPLACE FUNCTION withdraw_from_course(p_org int, p_course bigint, p_member bigint)
RETURNS boolean
LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM coracle_enrolments
         WHERE org_id = p_org AND course_id = p_course AND member_id = p_member
        RETURNING course_id
    )
    UPDATE coracle_courses c
       SET places_left = places_left + 1
      FROM gone
     WHERE c.id = gone.course_id AND c.org_id = p_org
    RETURNING true;
$$;

-- name: UpcomingCourses :many
SELECT id, title, starts_on, places_left
FROM coracle_courses
WHERE org_id = $1 AND starts_on >= current_date AND id > $2
ORDER BY id
LIMIT $3;
