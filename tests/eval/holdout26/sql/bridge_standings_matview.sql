-- V31__pair_standings_matview.sql
-- The club standings page used to aggregate a year of board results on every
-- view. Standings now come from a materialized view that the scoring worker
-- refreshes after each session is scored, plus a nightly safety refresh.

CREATE MATERIALIZED VIEW club_pair_standings AS
SELECT t.club_id,
       p.id                                AS pair_id,
       p.names                             AS pair_names,
       count(DISTINCT t.id)                AS sessions,
       round(avg(r.matchpoint_pct), 2)     AS avg_pct,
       round(sum(r.masterpoints), 2)       AS masterpoints,
       max(t.played_on)                    AS last_played
FROM board_results r
JOIN tournaments t ON t.id = r.tournament_id
JOIN pairs p       ON p.id IN (r.ns_pair, r.ew_pair) AND p.club_id = t.club_id
WHERE t.played_on >= current_date - interval '12 months'
GROUP BY t.club_id, p.id, p.names
WITH DATA;

-- Required for REFRESH ... CONCURRENTLY, and the read path's lookup key.
CREATE UNIQUE INDEX club_pair_standings_pk
    ON club_pair_standings (club_id, pair_id);
CREATE INDEX club_pair_standings_rank_idx
    ON club_pair_standings (club_id, avg_pct DESC);

-- Called by the scoring worker (one refresh per scored session, never from
-- a web request) and by pg_cron at 03:15.
CREATE OR REPLACE FUNCTION refresh_club_pair_standings()
RETURNS void
LANGUAGE sql AS $$
    REFRESH MATERIALIZED VIEW CONCURRENTLY club_pair_standings;
$$;

SELECT cron.schedule('refresh-pair-standings', '15 3 * * *',
                     $$SELECT refresh_club_pair_standings()$$);

-- name: ClubStandings :many
-- Read path for the standings page.
SELECT pair_id, pair_names, sessions, avg_pct, masterpoints, last_played
FROM club_pair_standings
WHERE club_id = $1 AND sessions >= $2
ORDER BY avg_pct DESC
LIMIT 50;

-- name: PairStanding :one
SELECT sessions, avg_pct, masterpoints, last_played
FROM club_pair_standings
WHERE club_id = $1 AND pair_id = $2;
