-- sqlc queries for the escape-room venue API (PostgreSQL).
-- Venues are tenants: every query is scoped by venue_id from the staff token.

-- name: ListUpcomingSessions :many
-- Keyset pagination for the staff schedule (cursor = starts_at, id).
SELECT s.id, s.room_id, r.name AS room_name, s.starts_at, s.capacity, s.players_booked
FROM game_sessions s
JOIN rooms r ON r.id = s.room_id AND r.venue_id = s.venue_id
WHERE s.venue_id = sqlc.arg(venue_id)
  AND (s.starts_at, s.id) > (sqlc.arg(after_starts_at)::timestamptz, sqlc.arg(after_id)::bigint)
ORDER BY s.starts_at, s.id
LIMIT sqlc.arg(page_size);

-- name: ReservePlayers :one
-- Adds players to a session only while there is room; zero rows means full.
UPDATE game_sessions
SET players_booked = players_booked + sqlc.arg(players)
WHERE id = sqlc.arg(session_id)
  AND venue_id = sqlc.arg(venue_id)
  AND players_booked + sqlc.arg(players) <= capacity
RETURNING id, players_booked, capacity;

-- name: CreateTeamBooking :one
-- The client sends a request id; a retried POST returns the existing row.
INSERT INTO team_bookings (venue_id, session_id, team_name, players, lead_email, request_id)
VALUES (sqlc.arg(venue_id), sqlc.arg(session_id), sqlc.arg(team_name),
        sqlc.arg(players), sqlc.arg(lead_email), sqlc.arg(request_id))
ON CONFLICT (venue_id, request_id) DO UPDATE SET request_id = EXCLUDED.request_id
RETURNING id, session_id, players, created_at;

-- name: LockSessionForReschedule :one
-- Used inside the reschedule transaction before moving a team between rooms.
SELECT id, room_id, starts_at, capacity, players_booked
FROM game_sessions
WHERE id = sqlc.arg(session_id) AND venue_id = sqlc.arg(venue_id)
FOR UPDATE;

-- name: RecordHintUsed :exec
-- Game-master console: one row per hint per session, duplicates ignored.
INSERT INTO session_hints (venue_id, session_id, hint_no, used_at)
VALUES (sqlc.arg(venue_id), sqlc.arg(session_id), sqlc.arg(hint_no), now())
ON CONFLICT (session_id, hint_no) DO NOTHING;

-- name: IncrementRoomPlays :exec
UPDATE rooms
SET total_plays = total_plays + 1
WHERE id = sqlc.arg(room_id) AND venue_id = sqlc.arg(venue_id);

-- name: LeaderboardForRoom :many
-- Fastest escapes this month for the lobby screen.
SELECT t.team_name, s.escape_seconds, s.starts_at
FROM game_sessions s
JOIN team_bookings t ON t.session_id = s.id AND t.venue_id = s.venue_id
WHERE s.venue_id = sqlc.arg(venue_id)
  AND s.room_id = sqlc.arg(room_id)
  AND s.escaped
  AND s.starts_at >= date_trunc('month', now())
ORDER BY s.escape_seconds
LIMIT 10;
