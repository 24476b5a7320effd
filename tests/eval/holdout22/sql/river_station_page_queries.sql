-- queries/station_page.sql
-- Loaded by the Flask app (db.queries["station_page"]) for GET /stations/<id>,
-- the page people open when a river level alert text arrives.
-- gauge_readings gets one row per station every 15 minutes (~2,300 stations,
-- since 2009).

-- :name station_header :one
SELECT s.id, s.name, s.river, s.catchment, s.typical_high_m, s.flood_warning_m
  FROM stations s
 WHERE s.id = :station_id;

-- :name station_context :one
-- "How does today compare?" panel: percentiles over the whole record,
-- highest ever, and how many days the river has been over the warning level.
SELECT
    percentile_cont(ARRAY[0.05, 0.5, 0.95])
        WITHIN GROUP (ORDER BY r.level_m)                 AS pct_5_50_95,
    max(r.level_m)                                        AS record_high_m,
    (array_agg(r.read_at ORDER BY r.level_m DESC))[1]     AS record_high_at,
    count(DISTINCT date_trunc('day', r.read_at))
        FILTER (WHERE r.level_m >= s.flood_warning_m)     AS days_over_warning,
    avg(r.level_m) FILTER (WHERE extract(month FROM r.read_at)
                                 = extract(month FROM now())) AS month_avg_m
  FROM gauge_readings r
  JOIN stations s ON s.id = r.station_id
 WHERE r.station_id = :station_id
 GROUP BY s.flood_warning_m;

-- :name station_readings :many
-- Feeds the Chart.js line on the page; the front end zooms to the last 7 days
-- by default but lets people drag back.
SELECT r.read_at, r.level_m, r.quality_flag
  FROM gauge_readings r
 WHERE r.station_id = :station_id
 ORDER BY r.read_at;

-- :name active_alerts :many
SELECT a.id, a.severity, a.message, a.issued_at
  FROM flood_alerts a
 WHERE a.station_id = :station_id
   AND a.withdrawn_at IS NULL
 ORDER BY a.issued_at DESC
 LIMIT 20;

-- :name subscribe :one
INSERT INTO alert_subscriptions (station_id, phone_e164, threshold_m)
VALUES (:station_id, :phone, :threshold_m)
ON CONFLICT (station_id, phone_e164) DO UPDATE
   SET threshold_m = EXCLUDED.threshold_m
RETURNING id;
