-- Housing lottery room selection.
-- Students pick rooms in lottery-number order; each student's selection
-- window opens at lottery_entries.window_opens_at. Hundreds of windows open
-- at the same minute on selection night, so this runs very concurrently.
--
-- room_assignments has UNIQUE (term_id, student_id): one room per student.

CREATE OR REPLACE FUNCTION pick_room(
    p_term_id    int,
    p_student_id bigint,
    p_room_id    bigint
) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_window   timestamptz;
    v_capacity smallint;
    v_taken    int;
    v_id       bigint;
BEGIN
    SELECT window_opens_at INTO v_window
      FROM lottery_entries
     WHERE term_id = p_term_id AND student_id = p_student_id;

    IF v_window IS NULL THEN
        RAISE EXCEPTION 'student % is not in the % lottery', p_student_id, p_term_id
            USING ERRCODE = 'P0002';
    END IF;
    IF v_window > now() THEN
        RAISE EXCEPTION 'selection window opens at %', v_window USING ERRCODE = 'P0001';
    END IF;

    SELECT capacity INTO v_capacity FROM rooms WHERE id = p_room_id AND bookable;

    SELECT count(*) INTO v_taken
      FROM room_assignments
     WHERE term_id = p_term_id AND room_id = p_room_id;

    IF v_capacity IS NULL OR v_taken >= v_capacity THEN
        RAISE EXCEPTION 'room % is full', p_room_id USING ERRCODE = 'P0003';
    END IF;

    BEGIN
        INSERT INTO room_assignments (term_id, student_id, room_id, picked_at)
        VALUES (p_term_id, p_student_id, p_room_id, now())
        RETURNING id INTO v_id;
    EXCEPTION
        WHEN unique_violation THEN
            RAISE EXCEPTION 'student % already has a room this term', p_student_id
                USING ERRCODE = 'P0004';
    END;

    RETURN v_id;
END;
$$;
