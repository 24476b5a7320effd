-- Queries behind the waterway office dashboard (canal lock passage logs).
-- Loaded by the dashboard service from this file at start-up; each block is
-- a named statement. The dashboard home page calls dashboard_season_summary
-- and dashboard_recent_passages on every page view.
-- passage_logs gets ~1,500 rows a day across the 64 locks in season.

-- name: dashboard_season_summary
-- Busiest locks, average time in the chamber and the 90th percentile wait,
-- compared against the same weeks of every previous season.
SELECT l.lock_name,
       l.flight,
       extract(year FROM p.passed_at)                                      AS season,
       count(*)                                                            AS passages,
       count(*) FILTER (WHERE p.direction = 'up')                          AS up_passages,
       avg(extract(epoch FROM p.exit_at - p.entry_at)) / 60.0              AS avg_chamber_min,
       percentile_cont(0.9) WITHIN GROUP (
           ORDER BY extract(epoch FROM p.entry_at - p.arrived_at) / 60.0)  AS p90_wait_min,
       count(DISTINCT p.boat_index)                                        AS distinct_boats,
       sum(CASE WHEN b.length_ft > 60 THEN 1 ELSE 0 END)                   AS long_boats
FROM passage_logs p
JOIN locks l             ON l.id = p.lock_id
LEFT JOIN boat_licences b ON b.index_no = p.boat_index
WHERE extract(week FROM p.passed_at) BETWEEN extract(week FROM now()) - 4
                                         AND extract(week FROM now())
GROUP BY l.lock_name, l.flight, extract(year FROM p.passed_at)
ORDER BY season DESC, passages DESC;

-- name: dashboard_recent_passages
-- "Latest movements" panel.
SELECT p.id, l.lock_name, p.boat_index, p.direction, p.passed_at,
       p.keeper_initials, p.notes
FROM passage_logs p
JOIN locks l ON l.id = p.lock_id
ORDER BY p.passed_at DESC;

-- name: lock_detail
-- Side panel when a lock is clicked on the map.
SELECT l.id,
       l.lock_name,
       l.flight,
       l.rise_ft,
       l.gauge_station,
       k.display_name AS duty_keeper
FROM locks l
LEFT JOIN keeper_shifts s ON s.lock_id = l.id
                         AND now() BETWEEN s.starts_at AND s.ends_at
LEFT JOIN keepers k       ON k.id = s.keeper_id
WHERE l.id = $1
LIMIT 1;

-- name: lock_passages_page
-- Paged history for one lock, newest first (keyset on passed_at, id).
SELECT p.id,
       p.boat_index,
       p.direction,
       p.passed_at,
       p.keeper_initials
FROM passage_logs p
WHERE p.lock_id = $1
  AND (p.passed_at, p.id) < ($2, $3)
ORDER BY p.passed_at DESC, p.id DESC
LIMIT 50;

-- name: log_passage
INSERT INTO passage_logs (lock_id, boat_index, direction, arrived_at, entry_at, exit_at, passed_at, keeper_initials, notes)
VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)
RETURNING id;
