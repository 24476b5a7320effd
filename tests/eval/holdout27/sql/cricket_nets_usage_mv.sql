-- Nets usage statistics for the cricket club committee page.
-- The aggregate over all bookings is precomputed into a materialized view
-- and refreshed by pg_cron; the page itself only reads the small view.

CREATE MATERIALIZED VIEW nets_usage_weekly AS
SELECT b.club_id,
       date_trunc('week', b.starts_at)::date             AS week_start,
       b.lane_no,
       count(*)                                          AS bookings,
       count(DISTINCT b.member_id)                       AS members,
       sum(extract(epoch FROM b.ends_at - b.starts_at)) / 3600.0 AS hours_booked,
       count(*) FILTER (WHERE b.cancelled_at IS NOT NULL) AS cancellations,
       count(*) FILTER (WHERE b.used_bowling_machine)     AS machine_sessions
FROM net_bookings b
GROUP BY b.club_id, date_trunc('week', b.starts_at)::date, b.lane_no
WITH DATA;

-- Required for REFRESH ... CONCURRENTLY, and serves the page query below.
CREATE UNIQUE INDEX nets_usage_weekly_pk
    ON nets_usage_weekly (club_id, week_start, lane_no);

-- Refresh every 30 minutes without blocking readers.
SELECT cron.schedule(
    'refresh-nets-usage-weekly',
    '*/30 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY nets_usage_weekly$$
);


-- Committee page: last 12 weeks for the signed-in member's club.
-- :club_id comes from the session, never from the query string.
SELECT week_start,
       lane_no,
       bookings,
       members,
       round(hours_booked, 1) AS hours_booked,
       cancellations,
       machine_sessions
FROM nets_usage_weekly
WHERE club_id = :club_id
  AND week_start >= (current_date - interval '12 weeks')
ORDER BY week_start DESC, lane_no
LIMIT 200;


-- Busiest lanes this season, same view, same club scope.
SELECT lane_no,
       sum(bookings)     AS bookings,
       sum(hours_booked) AS hours_booked
FROM nets_usage_weekly
WHERE club_id = :club_id
  AND week_start >= date_trunc('year', current_date)
GROUP BY lane_no
ORDER BY hours_booked DESC
LIMIT 10;
