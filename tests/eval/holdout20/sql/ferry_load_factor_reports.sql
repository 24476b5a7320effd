-- Ferry operator reporting: deck and passenger load factors per route.
-- PostgreSQL 15. The operations dashboard used to run the aggregate below on
-- each page view; it now reads a materialized view refreshed every 15 minutes.

CREATE MATERIALIZED VIEW IF NOT EXISTS route_load_factors_daily AS
SELECT s.operator_id,
       s.route_id,
       date_trunc('day', s.departs_at)::date                    AS sail_date,
       count(*)                                                 AS sailings,
       sum(dl.lane_metres_used) / nullif(sum(dl.lane_metres_total), 0) AS deck_load_factor,
       sum(s.passengers_boarded)::numeric
           / nullif(sum(s.passenger_capacity), 0)               AS pax_load_factor,
       sum(s.passengers_boarded)                                AS passengers,
       count(*) FILTER (WHERE s.departed_at > s.departs_at + interval '10 minutes') AS late_departures
FROM sailings s
JOIN (
    SELECT sailing_id,
           sum(metres_total - metres_free) AS lane_metres_used,
           sum(metres_total)               AS lane_metres_total
    FROM deck_lanes
    GROUP BY sailing_id
) dl ON dl.sailing_id = s.id
WHERE s.departs_at < now()
GROUP BY s.operator_id, s.route_id, date_trunc('day', s.departs_at)::date
WITH DATA;

-- Needed for REFRESH ... CONCURRENTLY and for the dashboard lookups.
CREATE UNIQUE INDEX IF NOT EXISTS route_load_factors_daily_pk
    ON route_load_factors_daily (operator_id, route_id, sail_date);

SELECT cron.schedule(
    'refresh-route-load-factors',
    '*/15 * * * *',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY route_load_factors_daily'
);

-- :name dashboard_route_summary
-- Last 30 days per route for the signed-in operator.
SELECT r.code, r.name,
       sum(f.sailings)               AS sailings,
       avg(f.deck_load_factor)       AS deck_load_factor,
       avg(f.pax_load_factor)        AS pax_load_factor,
       sum(f.late_departures)        AS late_departures
FROM route_load_factors_daily f
JOIN routes r ON r.id = f.route_id AND r.operator_id = f.operator_id
WHERE f.operator_id = :operator_id
  AND f.sail_date >= current_date - 30
GROUP BY r.code, r.name
ORDER BY r.code
LIMIT 100;

-- :name dashboard_route_trend
-- Daily series for one route chart (at most a year of points).
SELECT f.sail_date, f.deck_load_factor, f.pax_load_factor, f.passengers
FROM route_load_factors_daily f
WHERE f.operator_id = :operator_id
  AND f.route_id = :route_id
  AND f.sail_date >= current_date - 365
ORDER BY f.sail_date
LIMIT 366;
