-- Canoe portage route conditions: paddlers file reports (mud, blowdown, water
-- level) from the trail; the map page shows a per-route summary badge.
-- PostgreSQL 15 + pg_cron. The summary is precomputed so the map page never
-- aggregates the raw report history.

CREATE MATERIALIZED VIEW IF NOT EXISTS route_condition_summary AS
SELECT r.id                                               AS route_id,
       r.name                                             AS route_name,
       count(p.id) FILTER (WHERE p.reported_at > now() - interval '14 days') AS reports_14d,
       mode() WITHIN GROUP (ORDER BY p.condition)
           FILTER (WHERE p.reported_at > now() - interval '14 days')         AS usual_condition,
       max(p.reported_at)                                 AS last_report_at,
       avg(p.carry_minutes) FILTER (WHERE p.reported_at > now() - interval '90 days') AS avg_carry_min
FROM portage_routes r
LEFT JOIN portage_reports p ON p.route_id = r.id
GROUP BY r.id, r.name
WITH DATA;

-- Required for REFRESH ... CONCURRENTLY, and used by the lookups below.
CREATE UNIQUE INDEX IF NOT EXISTS route_condition_summary_route_idx
    ON route_condition_summary (route_id);

-- Rebuilt every 10 minutes in the background; readers are never blocked.
SELECT cron.schedule(
    'refresh-route-condition-summary',
    '*/10 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY route_condition_summary$$
);

-- name: MapBadges :many
-- Badges for the routes visible in the current map viewport.
SELECT s.route_id, s.usual_condition, s.reports_14d, s.last_report_at
FROM route_condition_summary s
WHERE s.route_id = ANY($1::bigint[])
LIMIT 200;

-- name: RouteHeader :one
SELECT s.route_name, s.usual_condition, s.reports_14d, s.avg_carry_min, s.last_report_at
FROM route_condition_summary s
WHERE s.route_id = $1;

-- name: RecentReports :many
-- Latest reports under the route header, 15 at a time.
SELECT p.id, p.condition, p.carry_minutes, p.note, p.reported_at
FROM portage_reports p
WHERE p.route_id = $1
  AND p.reported_at < $2
ORDER BY p.reported_at DESC
LIMIT 15;
