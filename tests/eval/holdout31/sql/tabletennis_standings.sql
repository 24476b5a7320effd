-- Village hall table-tennis league: division tables.
-- The standings aggregate is precomputed into a materialized view; the public league
-- page only reads the view. Results secretaries enter scores in the evening, so the
-- view is refreshed every 10 minutes by pg_cron (CONCURRENTLY, so readers never block).

CREATE MATERIALIZED VIEW division_standings AS
WITH results AS (
    SELECT f.league_id, f.division_id, f.season, f.home_team_id AS team_id,
           f.home_sets AS sets_for, f.away_sets AS sets_against
      FROM fixtures f
     WHERE f.played_on IS NOT NULL
    UNION ALL
    SELECT f.league_id, f.division_id, f.season, f.away_team_id,
           f.away_sets, f.home_sets
      FROM fixtures f
     WHERE f.played_on IS NOT NULL
)
SELECT r.league_id,
       r.division_id,
       r.season,
       r.team_id,
       t.name                                            AS team_name,
       count(*)                                          AS played,
       count(*) FILTER (WHERE r.sets_for > r.sets_against) AS won,
       count(*) FILTER (WHERE r.sets_for = r.sets_against) AS drawn,
       count(*) FILTER (WHERE r.sets_for < r.sets_against) AS lost,
       sum(r.sets_for)                                   AS sets_for,
       sum(r.sets_against)                               AS sets_against,
       sum(r.sets_for)                                   AS points,
       rank() OVER (PARTITION BY r.league_id, r.division_id, r.season
                    ORDER BY sum(r.sets_for) DESC, sum(r.sets_for - r.sets_against) DESC) AS position
  FROM results r
  JOIN teams t ON t.id = r.team_id AND t.league_id = r.league_id
 GROUP BY r.league_id, r.division_id, r.season, r.team_id, t.name;

-- Required for REFRESH ... CONCURRENTLY.
CREATE UNIQUE INDEX division_standings_pk
    ON division_standings (league_id, division_id, season, team_id);

SELECT cron.schedule(
    'refresh-division-standings',
    '*/10 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY division_standings$$
);

-- name: DivisionTable :many
-- The league page; reads the precomputed rows only.
SELECT position, team_name, played, won, drawn, lost, sets_for, sets_against, points
FROM division_standings
WHERE league_id = $1
  AND division_id = $2
  AND season = $3
ORDER BY position, team_name
LIMIT 20;

-- name: TeamFixtures :many
SELECT f.id, f.played_on, f.home_team_id, f.away_team_id, f.home_sets, f.away_sets, f.hall
FROM fixtures f
WHERE f.league_id = $1
  AND f.season = $2
  AND (f.home_team_id = $3 OR f.away_team_id = $3)
ORDER BY f.scheduled_for
LIMIT 30;
