-- 0042_tide_hourly_rollup.sql
-- The public tide page and the harbour master's dashboard used to aggregate
-- raw 1-minute gauge readings on every request. Readings are now rolled up
-- into an hourly materialized view, refreshed in the background.

CREATE MATERIALIZED VIEW tide_hourly AS
SELECT r.station_id,
       date_trunc('hour', r.observed_at)            AS hour,
       round(avg(r.level_mm))::int                  AS mean_level_mm,
       min(r.level_mm)                              AS low_mm,
       max(r.level_mm)                              AS high_mm,
       round(avg(r.level_mm - p.predicted_mm))::int AS surge_mm,
       count(*)                                     AS samples
  FROM gauge_readings r
  LEFT JOIN tide_predictions p
         ON p.station_id = r.station_id
        AND p.predicted_for = date_trunc('minute', r.observed_at)
 WHERE r.qc_flag <> 'reject'
   AND r.observed_at > now() - interval '400 days'
 GROUP BY r.station_id, date_trunc('hour', r.observed_at)
WITH NO DATA;

-- Required for REFRESH ... CONCURRENTLY, and serves the station/hour lookups.
CREATE UNIQUE INDEX tide_hourly_station_hour_uidx ON tide_hourly (station_id, hour);

REFRESH MATERIALIZED VIEW tide_hourly;

-- Refreshed every 10 minutes by pg_cron; readers are never blocked.
SELECT cron.schedule(
    'refresh-tide-hourly',
    '*/10 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY tide_hourly$$
);

-- ------------------------------------------------------------------
-- Application queries (internal/tides/queries.sql)
-- ------------------------------------------------------------------

-- name: StationLast48Hours :many
SELECT hour, mean_level_mm, low_mm, high_mm, surge_mm
  FROM tide_hourly
 WHERE station_id = $1
   AND hour >= now() - interval '48 hours'
 ORDER BY hour
 LIMIT 48;

-- name: HighestSurgesThisMonth :many
-- Harbour master dashboard: top surge hours across all stations.
SELECT station_id, hour, surge_mm
  FROM tide_hourly
 WHERE hour >= date_trunc('month', now())
 ORDER BY surge_mm DESC
 LIMIT 20;

-- name: LatestReading :one
-- Live value for the station banner; served by the (station_id, observed_at) index.
SELECT level_mm, observed_at
  FROM gauge_readings
 WHERE station_id = $1
   AND qc_flag <> 'reject'
 ORDER BY observed_at DESC
 LIMIT 1;
