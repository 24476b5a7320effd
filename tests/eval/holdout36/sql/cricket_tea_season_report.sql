-- Village cricket league: tea rota season report.
-- The league site hosts ~140 clubs; club_id is the tenant key on every
-- table. The "Teas" page used to aggregate tea_duties live on each visit;
-- the numbers now come from a materialized view refreshed overnight.

CREATE MATERIALIZED VIEW IF NOT EXISTS tea_duty_season_stats AS
SELECT d.club_id,
       f.season,
       d.tea_member_id                              AS member_id,
       count(*)                                     AS teas_made,
       count(*) FILTER (WHERE f.played_on >= date_trunc('month', now()) - interval '1 month')
                                                    AS teas_last_month,
       count(*) FILTER (WHERE d.swapped_from IS NOT NULL) AS teas_covered_for_others,
       max(f.played_on)                             AS last_tea_on
  FROM tea_duties d
  JOIN fixtures f ON f.id = d.fixture_id AND f.club_id = d.club_id
 WHERE d.tea_member_id IS NOT NULL
 GROUP BY d.club_id, f.season, d.tea_member_id
WITH DATA;

-- Needed for REFRESH ... CONCURRENTLY and for the page query below.
CREATE UNIQUE INDEX IF NOT EXISTS tea_duty_season_stats_pk
    ON tea_duty_season_stats (club_id, season, member_id);

SELECT cron.schedule(
    'refresh-tea-duty-season-stats',
    '40 2 * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY tea_duty_season_stats$$
);

-- name: TeaLeaderboard :many
-- "Who's done the most teas" table on the club's Teas page.
SELECT st.member_id, m.display_name, st.teas_made, st.teas_covered_for_others, st.last_tea_on
  FROM tea_duty_season_stats st
  JOIN members m ON m.id = st.member_id AND m.club_id = st.club_id
 WHERE st.club_id = $1
   AND st.season = $2
 ORDER BY st.teas_made DESC, m.display_name
 LIMIT 25;

-- name: UpcomingTeaDuties :many
-- Fixture list with tea duty, keyset-paginated by (played_on, fixture id).
SELECT f.id, f.played_on, f.opponent, d.tea_member_id, d.urn_member_id
  FROM fixtures f
  LEFT JOIN tea_duties d ON d.fixture_id = f.id AND d.club_id = f.club_id
 WHERE f.club_id = $1
   AND f.home = true
   AND (f.played_on, f.id) > ($2::date, $3::bigint)
 ORDER BY f.played_on, f.id
 LIMIT 20;

-- name: VolunteerForTea :one
-- Only fills a fixture whose tea slot is still empty.
UPDATE tea_duties
   SET tea_member_id = $3, updated_at = now()
 WHERE club_id = $1
   AND fixture_id = $2
   AND tea_member_id IS NULL
RETURNING fixture_id, tea_member_id;
