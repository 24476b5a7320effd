-- queries/meter_queries.sql  (sqlc)
-- Operator portal for municipal water utilities. Each municipality is a tenant;
-- meters, readings and alerts all carry municipality_id.
-- meter_readings: ~15-minute interval reads from ~400k meters (≈1.1B rows, partitioned by month).

-- name: ListMetersInDistrict :many
SELECT meter_id, address, diameter_mm, installed_on, leak_suspected
  FROM meters
 WHERE municipality_id = @municipality_id
   AND district_id = @district_id
   AND meter_id > @after_meter_id
 ORDER BY meter_id
 LIMIT 100;

-- name: GetMeter :one
SELECT meter_id, address, diameter_mm, installed_on, leak_suspected, district_id
  FROM meters
 WHERE municipality_id = @municipality_id
   AND meter_id = @meter_id;

-- name: MeterReadings :many
-- chart on the meter detail page
SELECT read_at, m3
  FROM meter_readings
 WHERE meter_id = @meter_id
   AND read_at >= @from_ts AND read_at < @to_ts
 ORDER BY read_at
 LIMIT 2000;

-- name: OpenAlerts :many
SELECT a.id, a.meter_id, a.kind, a.raised_at
  FROM meter_alerts a
 WHERE a.municipality_id = @municipality_id
   AND a.resolved_at IS NULL
 ORDER BY a.raised_at DESC
 LIMIT 50;

-- name: ResolveAlert :exec
UPDATE meter_alerts
   SET resolved_at = now(), resolved_by = @user_id
 WHERE municipality_id = @municipality_id
   AND id = @alert_id;

-- name: PortalHomeTotals :many
-- Tiles on the portal home page (GET /api/home). Loaded on every page view
-- and re-polled every 60 s by each open dashboard.
SELECT d.id                         AS district_id,
       d.name                       AS district,
       count(DISTINCT r.meter_id)   AS reporting_meters,
       sum(r.m3)                    AS m3_month_to_date,
       sum(r.m3) FILTER (WHERE r.read_at >= current_date) AS m3_today,
       max(r.read_at)               AS last_read
  FROM districts d
  JOIN meters m          ON m.district_id = d.id
  JOIN meter_readings r  ON r.meter_id = m.meter_id
 WHERE d.municipality_id = @municipality_id
   AND r.read_at >= date_trunc('month', now())
 GROUP BY d.id, d.name
 ORDER BY d.name;
