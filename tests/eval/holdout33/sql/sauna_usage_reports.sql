-- Community sauna network: reporting for each sauna co-op on the platform.
-- Every table has club_id; the reporting API binds $1 to the caller's club.

-- Monthly usage rollup, rebuilt overnight rather than on page load.
CREATE MATERIALIZED VIEW sauna_monthly_usage AS
SELECT s.club_id,
       s.site_id,
       date_trunc('month', s.starts_at)::date          AS month,
       count(DISTINCT s.id)                            AS sessions_run,
       count(b.id)                                     AS bathers,
       round(avg(s.water_temp_c), 1)                   AS avg_plunge_temp_c,
       sum(b.price_pence)                              AS takings_pence
  FROM sauna_sessions s
  LEFT JOIN sauna_bookings b
         ON b.session_id = s.id AND b.cancelled_at IS NULL
 GROUP BY s.club_id, s.site_id, date_trunc('month', s.starts_at)::date
WITH DATA;

-- Needed for REFRESH ... CONCURRENTLY.
CREATE UNIQUE INDEX sauna_monthly_usage_pk
    ON sauna_monthly_usage (club_id, site_id, month);

SELECT cron.schedule('refresh-sauna-usage', '15 3 * * *',
                     $$REFRESH MATERIALIZED VIEW CONCURRENTLY sauna_monthly_usage$$);

-- Dashboard: last 12 months for the caller's club.
SELECT u.site_id,
       st.name AS site_name,
       u.month,
       u.sessions_run,
       u.bathers,
       u.avg_plunge_temp_c,
       u.takings_pence
  FROM sauna_monthly_usage u
  JOIN sauna_sites st ON st.id = u.site_id AND st.club_id = u.club_id
 WHERE u.club_id = $1
   AND u.month >= (date_trunc('month', now()) - interval '11 months')::date
 ORDER BY u.month DESC, st.name
 LIMIT 240;

-- Session history, keyset-paginated (50 per page, newest first).
-- $2/$3 are the starts_at/id of the last row on the previous page.
SELECT s.id,
       s.site_id,
       s.starts_at,
       s.capacity,
       s.capacity - s.spaces_left AS booked,
       s.host_name
  FROM sauna_sessions s
 WHERE s.club_id = $1
   AND (s.starts_at, s.id) < ($2, $3)
 ORDER BY s.starts_at DESC, s.id DESC
 LIMIT 50;

-- Regulars report: members with the most visits this season, for the
-- volunteer thank-you evening.
SELECT m.id,
       m.display_name,
       count(*) AS visits
  FROM sauna_bookings b
  JOIN sauna_sessions s ON s.id = b.session_id
  JOIN members m        ON m.id = b.member_id AND m.club_id = s.club_id
 WHERE s.club_id = $1
   AND s.starts_at >= date_trunc('year', now())
   AND b.cancelled_at IS NULL
 GROUP BY m.id, m.display_name
 ORDER BY visits DESC
 LIMIT 20;
