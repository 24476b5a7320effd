-- MySQL 8.0 — lane bookings for the municipal leisure centres.
-- Queries used by the booking service (parameters bound with ?).
-- Each leisure centre is a tenant; centre_id leads every index.

CREATE TABLE lane_sessions (
    id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    centre_id     INT UNSIGNED    NOT NULL,
    pool_id       INT UNSIGNED    NOT NULL,
    lane_no       TINYINT         NOT NULL,
    starts_at     DATETIME        NOT NULL,
    speed         ENUM('slow','medium','fast') NOT NULL,
    swimmers_max  TINYINT         NOT NULL,
    swimmers_in   TINYINT         NOT NULL DEFAULT 0,
    KEY centre_start_idx (centre_id, starts_at, id)
) ENGINE=InnoDB;

CREATE TABLE lane_bookings (
    id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    centre_id     INT UNSIGNED    NOT NULL,
    session_id    BIGINT UNSIGNED NOT NULL,
    swimmer_id    BIGINT UNSIGNED NOT NULL,
    booked_at     DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY one_booking_per_swimmer (session_id, swimmer_id),
    KEY centre_swimmer_idx (centre_id, swimmer_id, booked_at),
    CONSTRAINT fk_session FOREIGN KEY (session_id) REFERENCES lane_sessions (id)
) ENGINE=InnoDB;

-- Timetable page: next sessions at one centre, keyset-paginated.
SELECT id, pool_id, lane_no, starts_at, speed, swimmers_max - swimmers_in AS places_left
FROM lane_sessions
WHERE centre_id = ?
  AND starts_at >= NOW()
  AND (starts_at, id) > (?, ?)
ORDER BY starts_at, id
LIMIT 40;

-- Book a place. The session row is locked, so concurrent bookings for the
-- same lane queue up behind each other instead of both reading "1 left".
START TRANSACTION;

SELECT swimmers_max, swimmers_in
FROM lane_sessions
WHERE id = ? AND centre_id = ?
FOR UPDATE;

-- Application checks swimmers_in < swimmers_max and otherwise ROLLBACKs.

INSERT INTO lane_bookings (centre_id, session_id, swimmer_id)
VALUES (?, ?, ?);
-- A duplicate-key error (1062) means the swimmer already holds a place;
-- the service rolls back and returns the existing booking.

UPDATE lane_sessions
SET swimmers_in = swimmers_in + 1
WHERE id = ? AND centre_id = ?;

COMMIT;

-- "My bookings" for a swimmer, newest first.
SELECT b.id, s.starts_at, s.pool_id, s.lane_no, s.speed
FROM lane_bookings b
JOIN lane_sessions s ON s.id = b.session_id AND s.centre_id = b.centre_id
WHERE b.centre_id = ?
  AND b.swimmer_id = ?
ORDER BY b.booked_at DESC
LIMIT 20;

-- Cancel: only the swimmer's own booking, and give the place back.
START TRANSACTION;
DELETE FROM lane_bookings WHERE id = ? AND centre_id = ? AND swimmer_id = ?;
-- Only when ROW_COUNT() = 1:
UPDATE lane_sessions
SET swimmers_in = swimmers_in - 1
WHERE id = ? AND centre_id = ? AND swimmers_in > 0;
COMMIT;
