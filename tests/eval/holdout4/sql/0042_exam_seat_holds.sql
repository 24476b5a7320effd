-- 0042_exam_seat_holds.sql
-- Candidates pick a seat for an exam session at a test centre. The seat is
-- held for 15 minutes while the exam fee is paid, then confirmed.

BEGIN;

CREATE TABLE exam_sessions (
    id            bigserial PRIMARY KEY,
    centre_id     bigint      NOT NULL REFERENCES test_centres (id),
    exam_code     text        NOT NULL,
    starts_at     timestamptz NOT NULL,
    capacity      int         NOT NULL CHECK (capacity > 0),
    seats_left    int         NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE exam_seat_holds (
    id               bigserial PRIMARY KEY,
    session_id       bigint      NOT NULL REFERENCES exam_sessions (id),
    seat_label       text        NOT NULL,
    candidate_id     bigint      NOT NULL REFERENCES candidates (id),
    status           text        NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'confirmed')),
    hold_expires_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX exam_seat_holds_lookup_idx
    ON exam_seat_holds (session_id, seat_label, hold_expires_at);

-- Seat map: a seat is taken if confirmed or held and not yet expired.
CREATE VIEW exam_seat_availability AS
SELECT h.session_id, h.seat_label, h.status, h.hold_expires_at
  FROM exam_seat_holds h
 WHERE h.status = 'confirmed' OR h.hold_expires_at > now();

CREATE OR REPLACE FUNCTION hold_exam_seat(p_session_id bigint, p_seat text, p_candidate_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold_id bigint;
BEGIN
    IF EXISTS (
        SELECT 1 FROM exam_seat_holds
         WHERE session_id = p_session_id
           AND seat_label = p_seat
           AND (status = 'confirmed' OR hold_expires_at > now())
    ) THEN
        RAISE EXCEPTION 'seat % is already taken', p_seat USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO exam_seat_holds (session_id, seat_label, candidate_id, hold_expires_at)
    VALUES (p_session_id, p_seat, p_candidate_id, now() + interval '15 minutes')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Called by the payment callback once the exam fee has been captured.
CREATE OR REPLACE FUNCTION confirm_exam_seat(p_hold_id bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_session_id bigint;
    v_seats_left int;
BEGIN
    SELECT session_id INTO v_session_id
      FROM exam_seat_holds
     WHERE id = p_hold_id AND status = 'held' AND hold_expires_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % has expired or does not exist', p_hold_id;
    END IF;

    SELECT seats_left INTO v_seats_left FROM exam_sessions WHERE id = v_session_id;
    IF v_seats_left <= 0 THEN
        RAISE EXCEPTION 'session % is full', v_session_id;
    END IF;

    UPDATE exam_sessions SET seats_left = v_seats_left - 1 WHERE id = v_session_id;
    UPDATE exam_seat_holds SET status = 'confirmed' WHERE id = p_hold_id;
END;
$$;

COMMIT;
