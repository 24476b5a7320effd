-- Fleet dashboard for the cold-chain IoT product.
-- device_readings is ~2B rows (one row per sensor sample, partitioned by month),
-- so the dashboard never aggregates it directly: it reads the hourly rollup
-- below, which a cron job refreshes every 15 minutes.

CREATE MATERIALIZED VIEW device_hourly_usage AS
SELECT r.org_id,
       r.device_id,
       date_trunc('hour', r.recorded_at)            AS hour,
       count(*)                                     AS samples,
       avg(r.temperature_c)                         AS avg_temp_c,
       max(r.temperature_c)                         AS max_temp_c,
       count(*) FILTER (WHERE r.temperature_c > 8)  AS excursions
  FROM device_readings r
 WHERE r.recorded_at >= now() - interval '35 days'
 GROUP BY r.org_id, r.device_id, date_trunc('hour', r.recorded_at)
WITH NO DATA;

-- Needed for REFRESH ... CONCURRENTLY.
CREATE UNIQUE INDEX device_hourly_usage_pk ON device_hourly_usage (org_id, device_id, hour);

-- crontab on the jobs host:
--   */15 * * * *  psql "$DATABASE_URL" -c 'REFRESH MATERIALIZED VIEW CONCURRENTLY device_hourly_usage'
REFRESH MATERIALIZED VIEW device_hourly_usage;

-- name: FleetSummary :many
-- Top devices by temperature excursions over the last N days, one org.
SELECT u.device_id,
       d.label,
       sum(u.samples)     AS samples,
       sum(u.excursions)  AS excursions,
       max(u.max_temp_c)  AS peak_temp_c
  FROM device_hourly_usage u
  JOIN devices d ON d.id = u.device_id AND d.org_id = u.org_id
 WHERE u.org_id = $1
   AND u.hour >= now() - make_interval(days => $2::int)
 GROUP BY u.device_id, d.label
 ORDER BY excursions DESC, u.device_id
 LIMIT 50;

-- name: DeviceReadingsPage :many
-- Raw samples for one device, newest first, keyset paginated.
SELECT r.recorded_at, r.temperature_c, r.humidity_pct, r.battery_mv
  FROM device_readings r
 WHERE r.org_id = $1
   AND r.device_id = $2
   AND r.recorded_at < $3          -- cursor: recorded_at of the last row on the previous page
 ORDER BY r.recorded_at DESC
 LIMIT 200;

-- name: GetDevice :one
SELECT d.id, d.label, d.model, d.firmware_version, d.last_seen_at
  FROM devices d
 WHERE d.org_id = $1 AND d.id = $2;

-- name: UpdateDeviceLabel :exec
UPDATE devices
   SET label = $3, updated_at = now()
 WHERE org_id = $1 AND id = $2;
