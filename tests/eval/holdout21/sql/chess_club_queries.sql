-- queries/chess.sql  (sqlc, engine: postgresql)
--
-- Read queries for the club website. Every club on the league platform has
-- its own members, games and rating history; club_id is on every table.
-- The leaderboard is the landing page of each club site.

-- name: GetMember :one
SELECT id, club_id, display_name, fide_id, joined_on
FROM members
WHERE club_id = $1 AND id = $2;

-- name: RecentGamesForMember :many
-- Profile page, "last games" box.
SELECT g.id, g.played_at, g.white_id, g.black_id, g.result, g.time_control
FROM games g
WHERE g.club_id = $1
  AND (g.white_id = $2 OR g.black_id = $2)
ORDER BY g.played_at DESC
LIMIT 20;

-- name: ClubLeaderboard :many
-- GET /clubs/{slug}/ -> rendered on every visit to the club home page.
-- Rating is the sum of all rating deltas since joining, plus form over the
-- last 10 games and a win rate by colour.
WITH deltas AS (
    SELECT rh.member_id,
           sum(rh.delta)                                       AS rating_change,
           count(*)                                            AS games_played,
           count(*) FILTER (WHERE rh.outcome = 'win')          AS wins,
           count(*) FILTER (WHERE rh.outcome = 'win' AND rh.colour = 'white')
               ::numeric / nullif(count(*) FILTER (WHERE rh.colour = 'white'), 0) AS white_win_rate,
           count(*) FILTER (WHERE rh.outcome = 'win' AND rh.colour = 'black')
               ::numeric / nullif(count(*) FILTER (WHERE rh.colour = 'black'), 0) AS black_win_rate
    FROM rating_history rh
    WHERE rh.club_id = $1
    GROUP BY rh.member_id
),
form AS (
    SELECT member_id,
           string_agg(left(outcome, 1), '' ORDER BY played_at DESC) AS last_ten
    FROM (
        SELECT rh.member_id, rh.outcome, rh.played_at,
               row_number() OVER (PARTITION BY rh.member_id ORDER BY rh.played_at DESC) AS rn
        FROM rating_history rh
        WHERE rh.club_id = $1
    ) ranked
    WHERE rn <= 10
    GROUP BY member_id
)
SELECT m.id,
       m.display_name,
       1200 + coalesce(d.rating_change, 0)                 AS rating,
       coalesce(d.games_played, 0)                         AS games_played,
       coalesce(d.wins, 0)                                 AS wins,
       round(coalesce(d.white_win_rate, 0) * 100, 1)       AS white_win_pct,
       round(coalesce(d.black_win_rate, 0) * 100, 1)       AS black_win_pct,
       coalesce(f.last_ten, '')                            AS form,
       rank() OVER (ORDER BY 1200 + coalesce(d.rating_change, 0) DESC) AS position
FROM members m
LEFT JOIN deltas d ON d.member_id = m.id
LEFT JOIN form f ON f.member_id = m.id
WHERE m.club_id = $1 AND m.active
ORDER BY rating DESC
LIMIT 50;

-- name: UpcomingRounds :many
SELECT r.id, r.tournament_id, r.round_no, r.starts_at
FROM rounds r
WHERE r.club_id = $1 AND r.starts_at > now()
ORDER BY r.starts_at
LIMIT 10;
