-- queries.sql (sqlc) — booking API for the escape-room franchise platform.
-- Every franchise location is a tenant; franchise_id comes from the staff JWT.

-- name: ListRooms :many
SELECT id, franchise_id, theme_id, name, max_players, duration_minutes
FROM rooms
WHERE franchise_id = $1 AND archived_at IS NULL
ORDER BY name;

-- name: GetTheme :one
-- themes are the global puzzle catalogue shared by all franchises (no franchise_id column)
SELECT id, title, difficulty, min_age, synopsis
FROM themes
WHERE id = $1;

-- name: ListBookings :many
SELECT b.id, b.room_id, b.starts_at, b.party_size, b.lead_name, b.status
FROM bookings b
WHERE b.franchise_id = @franchise_id
  AND b.starts_at >= @from_ts
  AND b.starts_at <  @to_ts
ORDER BY b.starts_at
LIMIT @page_size OFFSET @page_offset;

-- name: GetBooking :one
SELECT id, room_id, starts_at, party_size, lead_name, lead_email, status, total_cents
FROM bookings
WHERE id = $1 AND franchise_id = $2;

-- name: CreateBooking :one
INSERT INTO bookings (franchise_id, room_id, starts_at, party_size, lead_name, lead_email, total_cents)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: RescheduleBooking :execrows
UPDATE bookings
SET starts_at = $3, updated_at = now()
WHERE id = $1 AND franchise_id = $2 AND status = 'confirmed';

-- name: CancelBooking :execrows
UPDATE bookings
SET status = 'cancelled', cancelled_at = now()
WHERE id = $1 AND status = 'confirmed';

-- name: ListWaivers :many
-- front-desk "signed waivers" screen
SELECT w.id, w.booking_id, w.player_name, w.date_of_birth, w.signed_at
FROM waivers w
WHERE w.franchise_id = $1
ORDER BY w.signed_at DESC;

-- name: RoomUtilisation :many
-- franchise owner's weekly report (cached by the API for 15 min)
SELECT r.id, r.name,
       count(b.id)                          AS games,
       coalesce(sum(b.party_size), 0)       AS players,
       coalesce(sum(b.total_cents), 0)      AS revenue_cents
FROM rooms r
LEFT JOIN bookings b
       ON b.room_id = r.id
      AND b.franchise_id = r.franchise_id
      AND b.status = 'completed'
      AND b.starts_at >= date_trunc('week', now()) - interval '1 week'
      AND b.starts_at <  date_trunc('week', now())
WHERE r.franchise_id = $1
GROUP BY r.id, r.name
ORDER BY revenue_cents DESC;
