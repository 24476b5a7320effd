-- 0058_rally_stats_matview.sql
-- The organisers' dashboard used to compute exhibitor and pitch totals live
-- on every load. The totals now come from a materialized view refreshed
-- every 15 minutes; the dashboard reads a single precomputed row per rally.
-- Vintage tractor clubs share the platform; club_id scopes every query.

CREATE MATERIALIZED VIEW rally_dashboard_stats AS
SELECT r.club_id,
       r.id                                                    AS rally_id,
       count(DISTINCT p.id)                                    AS pitches_total,
       count(DISTINCT p.id) FILTER (WHERE p.exhibitor_id IS NOT NULL) AS pitches_taken,
       count(DISTINCT x.id)                                    AS exhibitors,
       count(DISTINCT x.id) FILTER (WHERE x.marque = 'Ferguson')      AS fergies,
       min(x.year_built)                                       AS oldest_tractor_year,
       coalesce(sum(x.pitch_fee_pence), 0)                     AS fees_pence
  FROM rallies r
  LEFT JOIN rally_pitches p ON p.rally_id = r.id AND p.club_id = r.club_id
  LEFT JOIN exhibitors x    ON x.id = p.exhibitor_id AND x.club_id = r.club_id
 GROUP BY r.club_id, r.id
WITH DATA;

-- Needed for REFRESH ... CONCURRENTLY, and serves the dashboard lookup.
CREATE UNIQUE INDEX rally_dashboard_stats_pk ON rally_dashboard_stats (club_id, rally_id);

SELECT cron.schedule(
    'refresh-rally-dashboard-stats',
    '*/15 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY rally_dashboard_stats$$
);

-- name: DashboardStats :one
SELECT pitches_total, pitches_taken, exhibitors, fergies, oldest_tractor_year, fees_pence
  FROM rally_dashboard_stats
 WHERE club_id = $1 AND rally_id = $2;

-- name: ExhibitorPage :many
-- Keyset pagination over exhibitors for the organiser's list; the client
-- sends back the (registered_at, id) of the last row it saw.
SELECT x.id, x.name, x.marque, x.model, x.year_built, p.pitch_row, p.pitch_no, x.registered_at
  FROM exhibitors x
  LEFT JOIN rally_pitches p ON p.exhibitor_id = x.id AND p.club_id = x.club_id
 WHERE x.club_id = $1
   AND x.rally_id = $2
   AND (x.registered_at, x.id) > ($3, $4)
 ORDER BY x.registered_at, x.id
 LIMIT 50;

-- name: RecentCancellations :many
SELECT x.id, x.name, x.cancelled_at
  FROM exhibitors x
 WHERE x.club_id = $1 AND x.rally_id = $2 AND x.cancelled_at IS NOT NULL
 ORDER BY x.cancelled_at DESC
 LIMIT 20;
