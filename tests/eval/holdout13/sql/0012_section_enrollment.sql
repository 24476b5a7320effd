-- 0012_section_enrollment.sql
-- Registration week: seat counting moves into Postgres so the API can't oversell.

BEGIN;

ALTER TABLE sections
    ADD COLUMN seats_taken integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT sections_seats_within_capacity CHECK (seats_taken BETWEEN 0 AND capacity);

CREATE TABLE enrollments (
    id          bigserial PRIMARY KEY,
    section_id  bigint      NOT NULL REFERENCES sections(id),
    student_id  bigint      NOT NULL REFERENCES students(id),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT enrollments_section_student_key UNIQUE (section_id, student_id)
);

CREATE TABLE waitlist_entries (
    id          bigserial PRIMARY KEY,
    section_id  bigint      NOT NULL REFERENCES sections(id),
    student_id  bigint      NOT NULL REFERENCES students(id),
    joined_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT waitlist_section_student_key UNIQUE (section_id, student_id)
);

CREATE INDEX waitlist_entries_section_joined_idx ON waitlist_entries (section_id, joined_at);

-- Returns 'enrolled', 'already_enrolled' or 'waitlisted'.
CREATE OR REPLACE FUNCTION enroll_student(p_section bigint, p_student bigint)
RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO enrollments (section_id, student_id)
    VALUES (p_section, p_student)
    ON CONFLICT ON CONSTRAINT enrollments_section_student_key DO NOTHING;

    IF NOT FOUND THEN
        RETURN 'already_enrolled';
    END IF;

    -- take a seat only if one is free; the row is re-checked under lock
    UPDATE sections
       SET seats_taken = seats_taken + 1
     WHERE id = p_section
       AND seats_taken < capacity;

    IF NOT FOUND THEN
        -- full: undo our own insert (same transaction) and queue the student
        DELETE FROM enrollments WHERE section_id = p_section AND student_id = p_student;
        INSERT INTO waitlist_entries (section_id, student_id)
        VALUES (p_section, p_student)
        ON CONFLICT ON CONSTRAINT waitlist_section_student_key DO NOTHING;
        RETURN 'waitlisted';
    END IF;

    RETURN 'enrolled';
END;
$$;

CREATE OR REPLACE FUNCTION drop_enrollment(p_section bigint, p_student bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM enrollments WHERE section_id = p_section AND student_id = p_student;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    UPDATE sections SET seats_taken = seats_taken - 1 WHERE id = p_section;
    RETURN true;
END;
$$;

COMMIT;
