-- sqlc queries for the town crier competition app.
-- The app is hosted for several criers' guilds; every table carries guild_id
-- and the API passes the signed-in organiser's guild as the first argument.
--
--   competitions (id, guild_id, title, held_on, town)
--   heats        (id, guild_id, competition_id, round_no, starts_at, status)
--   entrants     (id, guild_id, display_name, town, bell_type, member_since)
--   heat_entries (heat_id, entrant_id, guild_id, cry_order, score_volume,
--                 score_diction, score_bearing, total)

-- name: ListCompetitions :many
SELECT id, title, held_on, town
FROM competitions
WHERE guild_id = $1
ORDER BY held_on DESC
LIMIT $2 OFFSET $3;

-- name: ListHeats :many
SELECT h.id, h.round_no, h.starts_at, h.status
FROM heats h
WHERE h.guild_id = $1 AND h.competition_id = $2
ORDER BY h.round_no, h.starts_at
LIMIT 50;

-- name: GetHeat :one
SELECT id, competition_id, round_no, starts_at, status
FROM heats
WHERE guild_id = $1 AND id = $2;

-- name: HeatRunningOrder :many
SELECT he.cry_order, e.id, e.display_name, e.town, e.bell_type
FROM heat_entries he
JOIN entrants e ON e.id = he.entrant_id AND e.guild_id = he.guild_id
WHERE he.guild_id = $1 AND he.heat_id = $2
ORDER BY he.cry_order
LIMIT 40;

-- name: SearchEntrants :many
-- Type-ahead on the "add crier to heat" dialog.
SELECT id, display_name, town, bell_type
FROM entrants
WHERE display_name ILIKE '%' || sqlc.arg(term)::text || '%'
ORDER BY display_name
LIMIT 20;

-- name: AddEntrantToHeat :exec
INSERT INTO heat_entries (heat_id, entrant_id, guild_id, cry_order)
VALUES ($2, $3, $1, $4)
ON CONFLICT (heat_id, entrant_id) DO NOTHING;

-- name: RecordScores :exec
-- Judges' sheet for one cry; total is recomputed in the same statement.
UPDATE heat_entries
SET score_volume  = $4,
    score_diction = $5,
    score_bearing = $6,
    total         = $4 + $5 + $6
WHERE guild_id = $1 AND heat_id = $2 AND entrant_id = $3;

-- name: HeatLeaderboard :many
SELECT e.display_name, e.town, he.total
FROM heat_entries he
JOIN entrants e ON e.id = he.entrant_id AND e.guild_id = he.guild_id
WHERE he.guild_id = $1 AND he.heat_id = $2 AND he.total IS NOT NULL
ORDER BY he.total DESC
LIMIT 10;

-- name: WithdrawHeat :exec
-- Organiser cancels a heat (weather, crier unwell); entries go with it.
DELETE FROM heats
WHERE id = $1;

-- name: CloseHeat :exec
UPDATE heats
SET status = 'closed'
WHERE guild_id = $1 AND id = $2 AND status = 'open';
