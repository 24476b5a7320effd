-- Riding stable lesson booking (MySQL 8). Schema plus the named queries the
-- booking service loads at startup. One database per stable.

CREATE TABLE lesson_slots (
    id           BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    arena        VARCHAR(40)  NOT NULL,
    instructor   VARCHAR(80)  NOT NULL,
    level        ENUM('lead-rein','beginner','novice','intermediate','jumping') NOT NULL,
    starts_at    DATETIME     NOT NULL,
    max_riders   TINYINT UNSIGNED NOT NULL DEFAULT 4,
    KEY idx_slots_starts (starts_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A rider picks a slot and a pony; the place is held while they pay.
CREATE TABLE lesson_holds (
    id              BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    slot_id         BIGINT UNSIGNED NOT NULL,
    rider_id        BIGINT UNSIGNED NOT NULL,
    pony_id         BIGINT UNSIGNED NULL,
    status          ENUM('held','paid','cancelled') NOT NULL DEFAULT 'held',
    hold_expires_at DATETIME NOT NULL,
    created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY idx_holds_slot (slot_id, status),
    CONSTRAINT fk_holds_slot FOREIGN KEY (slot_id) REFERENCES lesson_slots (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- name: CountTakenPlaces
-- Paid places plus holds that have not lapsed yet.
SELECT COUNT(*) AS taken FROM lesson_holds WHERE slot_id = ? AND (status = 'paid' OR (status = 'held' AND hold_expires_at > NOW()));

-- name: SlotCapacity
SELECT max_riders FROM lesson_slots WHERE id = ?;

-- name: InsertHold
-- Run by the service when CountTakenPlaces < SlotCapacity.
INSERT INTO lesson_holds (slot_id, rider_id, pony_id, hold_expires_at) VALUES (?, ?, ?, NOW() + INTERVAL 15 MINUTE);

-- name: MarkPaid
UPDATE lesson_holds
SET status = 'paid'
WHERE id = ? AND rider_id = ? AND status = 'held' AND hold_expires_at > NOW();

-- name: CancelHold
UPDATE lesson_holds
SET status = 'cancelled'
WHERE id = ? AND rider_id = ? AND status IN ('held', 'paid');

-- name: InstructorCalendar
-- Calendar view in the yard office: every slot with its riders and ponies.
SELECT s.id, s.arena, s.instructor, s.level, s.starts_at, h.rider_id, h.pony_id, h.status
FROM lesson_slots s
LEFT JOIN lesson_holds h ON h.slot_id = s.id AND h.status <> 'cancelled'
ORDER BY s.starts_at, s.id;

-- name: RiderUpcoming
SELECT s.starts_at, s.arena, s.level, h.status
FROM lesson_holds h
JOIN lesson_slots s ON s.id = h.slot_id
WHERE h.rider_id = ? AND s.starts_at >= NOW()
ORDER BY s.starts_at
LIMIT 20;
