-- Timetabling: room bookings and teacher load for the term planner.
-- Called from the planner UI (several deputy heads edit the timetable at once
-- during the August planning week).

CREATE TABLE IF NOT EXISTS room_bookings (
    id          bigserial PRIMARY KEY,
    school_id   int    NOT NULL REFERENCES schools(id),
    room_id     int    NOT NULL REFERENCES rooms(id),
    period_id   int    NOT NULL REFERENCES periods(id),
    class_id    int    NOT NULL REFERENCES classes(id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS room_bookings_room_period_idx ON room_bookings (room_id, period_id);

-- book_room: returns false if the room is already taken in that period
CREATE OR REPLACE FUNCTION book_room(p_school_id int, p_room_id int, p_period_id int, p_class_id int)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_taken boolean;
BEGIN
    SELECT EXISTS (SELECT 1 FROM room_bookings WHERE school_id = p_school_id AND room_id = p_room_id AND period_id = p_period_id) INTO v_taken;
    IF v_taken THEN
        RETURN false;
    END IF;

    INSERT INTO room_bookings (school_id, room_id, period_id, class_id)
    VALUES (p_school_id, p_room_id, p_period_id, p_class_id);
    RETURN true;
END;
$$;

-- assign_teacher: puts a teacher on a lesson and keeps teachers.assigned_hours
-- in sync so the UI can show remaining contract hours.
CREATE OR REPLACE FUNCTION assign_teacher(p_school_id int, p_teacher_id int, p_lesson_id int)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_assigned numeric;
    v_max      numeric;
    v_hours    numeric;
BEGIN
    SELECT duration_minutes / 60.0 INTO v_hours FROM lessons WHERE id = p_lesson_id AND school_id = p_school_id;
    SELECT assigned_hours, max_hours INTO v_assigned, v_max FROM teachers WHERE id = p_teacher_id AND school_id = p_school_id;

    IF v_assigned + v_hours > v_max THEN
        RAISE EXCEPTION 'teacher % would exceed contract hours', p_teacher_id;
    END IF;

    UPDATE lessons  SET teacher_id = p_teacher_id WHERE id = p_lesson_id AND school_id = p_school_id;
    UPDATE teachers SET assigned_hours = v_assigned + v_hours WHERE id = p_teacher_id AND school_id = p_school_id;
END;
$$;

-- import_lesson: used by the CSV import of last year's timetable
CREATE OR REPLACE FUNCTION import_lesson(p_school_id int, p_class_code text, p_subject text, p_period_id int, p_minutes int)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lessons (school_id, class_id, subject, period_id, duration_minutes)
    SELECT p_school_id, c.id, p_subject, p_period_id, p_minutes
    FROM classes c
    WHERE c.school_id = p_school_id AND c.code = p_class_code;
EXCEPTION WHEN others THEN
    NULL;
END;
$$;
