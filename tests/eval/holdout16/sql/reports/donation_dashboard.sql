-- reports/donation_dashboard.sql
-- Regional blood-supply dashboard. The aggregate runs over ~40M donation
-- rows, so it is materialized and refreshed every 15 minutes; the API only
-- reads the materialized view.

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_drive_donation_stats AS
SELECT d.region_id,
       d.id                                           AS drive_id,
       d.name                                         AS drive_name,
       date_trunc('week', dn.collected_at)::date      AS week,
       dn.blood_type,
       count(*)                                       AS donations,
       count(*) FILTER (WHERE dn.first_time_donor)    AS first_time,
       count(*) FILTER (WHERE dn.deferred)            AS deferrals,
       sum(dn.volume_ml)                              AS volume_ml
  FROM donations dn
  JOIN drives d ON d.id = dn.drive_id
 WHERE dn.collected_at >= now() - interval '2 years'
 GROUP BY d.region_id, d.id, d.name, date_trunc('week', dn.collected_at), dn.blood_type
WITH DATA;

-- Needed for REFRESH ... CONCURRENTLY (readers are never blocked).
CREATE UNIQUE INDEX IF NOT EXISTS mv_drive_donation_stats_pk
    ON mv_drive_donation_stats (drive_id, week, blood_type);
CREATE INDEX IF NOT EXISTS mv_drive_donation_stats_region_week
    ON mv_drive_donation_stats (region_id, week DESC);

SELECT cron.schedule(
    'refresh-drive-donation-stats',
    '*/15 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY mv_drive_donation_stats$$
);

-- name: RegionWeeklySupply :many
-- GET /api/regions/{id}/supply?weeks=12 — reads the MV only.
SELECT week,
       blood_type,
       sum(donations) AS donations,
       sum(volume_ml) AS volume_ml
  FROM mv_drive_donation_stats
 WHERE region_id = $1
   AND week >= current_date - ($2::int * 7)
 GROUP BY week, blood_type
 ORDER BY week DESC, blood_type;

-- name: TopDrives :many
-- GET /api/regions/{id}/top-drives
SELECT drive_id, drive_name, sum(donations) AS donations, sum(first_time) AS first_time
  FROM mv_drive_donation_stats
 WHERE region_id = $1
   AND week >= current_date - 90
 GROUP BY drive_id, drive_name
 ORDER BY donations DESC
 LIMIT 20;
