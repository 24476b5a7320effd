-- Community composting drop-off service (MySQL 8.0). The council runs several
-- sites from one schema; site_id is the tenant key on every table and query.

CREATE TABLE dropoff_passes (
    token        CHAR(26)        NOT NULL PRIMARY KEY,   -- ULID shown as a QR code
    site_id      INT UNSIGNED    NOT NULL,
    household_id BIGINT UNSIGNED NOT NULL,
    expires_at   DATETIME        NOT NULL,
    KEY idx_passes_expires (expires_at),
    KEY idx_passes_site_household (site_id, household_id)
) ENGINE=InnoDB;

CREATE TABLE scale_events (
    site_id     INT UNSIGNED NOT NULL,
    event_id    VARCHAR(64)  NOT NULL,
    received_at DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (site_id, event_id),
    KEY idx_scale_events_received (received_at)
) ENGINE=InnoDB;

CREATE TABLE household_weekly_kg (
    site_id      INT UNSIGNED    NOT NULL,
    household_id BIGINT UNSIGNED NOT NULL,
    iso_week     CHAR(8)         NOT NULL,   -- e.g. '2025-W14'
    kg           DECIMAL(8,2)    NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, household_id, iso_week)
) ENGINE=InnoDB;

-- Lapsed QR passes and week-old scale event ids are purged by the event
-- scheduler (event_scheduler=ON in the parameter group).
CREATE EVENT purge_dropoff_passes
    ON SCHEDULE EVERY 10 MINUTE
    DO DELETE FROM dropoff_passes WHERE expires_at < NOW() LIMIT 5000;

CREATE EVENT purge_scale_events
    ON SCHEDULE EVERY 1 HOUR
    DO DELETE FROM scale_events WHERE received_at < NOW() - INTERVAL 7 DAY LIMIT 20000;

-- name: IssuePass
INSERT INTO dropoff_passes (token, site_id, household_id, expires_at)
VALUES (?, ?, ?, NOW() + INTERVAL 2 HOUR);

-- name: RecordScaleEvent
-- The weighbridge may deliver an event twice; the caller applies the weight
-- only when this reports one affected row.
INSERT IGNORE INTO scale_events (site_id, event_id) VALUES (?, ?);

-- name: AddWeeklyWeight
INSERT INTO household_weekly_kg (site_id, household_id, iso_week, kg)
VALUES (?, ?, ?, ?)
ON DUPLICATE KEY UPDATE kg = kg + VALUES(kg);

-- name: RecentDropoffs
-- Site attendant's screen, 50 per page, newest first.
SELECT d.id, d.household_id, d.material, d.kg, d.dropped_at
FROM dropoffs d
WHERE d.site_id = ? AND d.id < ?
ORDER BY d.id DESC
LIMIT 50;
