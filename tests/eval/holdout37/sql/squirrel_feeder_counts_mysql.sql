-- Red squirrel feeder counts (MySQL 8.0).
-- Volunteers from several local squirrel groups log visits from the trail
-- cameras; group_id scopes everything to the volunteer's own group.

CREATE TABLE feeders (
    id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    group_id      INT UNSIGNED NOT NULL,
    name          VARCHAR(80)  NOT NULL,
    grid_ref      VARCHAR(14)  NOT NULL,
    total_visits  INT UNSIGNED NOT NULL DEFAULT 0,
    greys_seen    INT UNSIGNED NOT NULL DEFAULT 0,
    UNIQUE KEY uq_feeder_name (group_id, name),
    KEY idx_feeders_group (group_id)
) ENGINE=InnoDB;

CREATE TABLE feeder_daily_counts (
    group_id   INT UNSIGNED    NOT NULL,
    feeder_id  BIGINT UNSIGNED NOT NULL,
    day        DATE            NOT NULL,
    reds       INT UNSIGNED    NOT NULL DEFAULT 0,
    greys      INT UNSIGNED    NOT NULL DEFAULT 0,
    PRIMARY KEY (feeder_id, day),
    KEY idx_counts_group_day (group_id, day),
    CONSTRAINT fk_counts_feeder FOREIGN KEY (feeder_id) REFERENCES feeders (id)
) ENGINE=InnoDB;

-- name: LogCameraBatch :exec
-- A feeder often has two cameras whose cards are uploaded by different
-- volunteers; counts are added in the row itself so both uploads land.
INSERT INTO feeder_daily_counts (group_id, feeder_id, day, reds, greys)
VALUES (?, ?, ?, ?, ?) AS new
ON DUPLICATE KEY UPDATE reds  = feeder_daily_counts.reds  + new.reds,
                        greys = feeder_daily_counts.greys + new.greys;

-- name: BumpFeederTotals :exec
UPDATE feeders
SET total_visits = total_visits + ?,
    greys_seen   = greys_seen + ?
WHERE id = ? AND group_id = ?;

-- name: FeedersByIds :many
-- Resolve a page of feeder ids in one query (the app expands the IN list).
SELECT id, name, grid_ref, total_visits
FROM feeders
WHERE group_id = ? AND id IN (/*SLICE:ids*/?);

-- name: FeederCountsPage :many
-- Count history for one feeder, newest day first, 60 days per page.
SELECT day, reds, greys
FROM feeder_daily_counts
WHERE group_id = ? AND feeder_id = ? AND day < ?
ORDER BY day DESC
LIMIT 60;

-- name: GroupWeekTotals :many
-- Weekly bar chart on the group page: one week per request.
SELECT f.id, f.name, SUM(c.reds) AS reds, SUM(c.greys) AS greys
FROM feeder_daily_counts c
JOIN feeders f ON f.id = c.feeder_id AND f.group_id = c.group_id
WHERE c.group_id = ? AND c.day >= ? AND c.day < ? + INTERVAL 7 DAY
GROUP BY f.id, f.name
ORDER BY reds DESC
LIMIT 100;
