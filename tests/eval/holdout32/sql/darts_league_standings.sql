-- Darts league standings (PostgreSQL).
-- The league table used to be computed from match_legs on every page view;
-- it is now a materialized view refreshed after results come in.

CREATE MATERIALIZED VIEW league_standings AS
WITH team_matches AS (
    SELECT m.league_id, m.season, m.home_team_id AS team_id,
           m.home_legs AS legs_for, m.away_legs AS legs_against
      FROM match_results m
    UNION ALL
    SELECT m.league_id, m.season, m.away_team_id,
           m.away_legs, m.home_legs
      FROM match_results m
)
SELECT tm.league_id,
       tm.season,
       tm.team_id,
       count(*)                                          AS played,
       count(*) FILTER (WHERE legs_for > legs_against)   AS won,
       count(*) FILTER (WHERE legs_for = legs_against)   AS drawn,
       count(*) FILTER (WHERE legs_for < legs_against)   AS lost,
       sum(legs_for)                                     AS legs_for,
       sum(legs_against)                                 AS legs_against,
       sum(CASE WHEN legs_for > legs_against THEN 2
                WHEN legs_for = legs_against THEN 1
                ELSE 0 END)                              AS points,
       rank() OVER (PARTITION BY tm.league_id, tm.season
                    ORDER BY sum(CASE WHEN legs_for > legs_against THEN 2
                                      WHEN legs_for = legs_against THEN 1
                                      ELSE 0 END) DESC,
                             sum(legs_for) - sum(legs_against) DESC) AS position
  FROM team_matches tm
 GROUP BY tm.league_id, tm.season, tm.team_id
WITH NO DATA;

-- Needed for REFRESH ... CONCURRENTLY, and serves the page query below.
CREATE UNIQUE INDEX league_standings_pk
    ON league_standings (league_id, season, team_id);
CREATE INDEX league_standings_position_idx
    ON league_standings (league_id, season, position);

REFRESH MATERIALIZED VIEW league_standings;

-- Results are entered on match nights; refresh every ten minutes from 18:00
-- to midnight, and once in the early morning for late corrections.
SELECT cron.schedule('standings-evening', '*/10 18-23 * * *',
                     $$REFRESH MATERIALIZED VIEW CONCURRENTLY league_standings$$);
SELECT cron.schedule('standings-morning', '15 6 * * *',
                     $$REFRESH MATERIALIZED VIEW CONCURRENTLY league_standings$$);

-- name: LeagueTable :many
SELECT s.position, t.name AS team, s.played, s.won, s.drawn, s.lost,
       s.legs_for, s.legs_against, s.points
  FROM league_standings s
  JOIN teams t ON t.id = s.team_id
 WHERE s.league_id = $1 AND s.season = $2
 ORDER BY s.position, t.name
 LIMIT 30;
