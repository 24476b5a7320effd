-- queries/tuning.sql  (sqlc, engine: postgresql)
--
-- Harp tuning appointments for the studio booking app. Each studio is a
-- tenant. tuning_appointments has the exclusion constraint from migration
-- 0017:  EXCLUDE USING gist (studio_id WITH =, tuner_id WITH =,
--                            tstzrange(starts_at, ends_at) WITH &&)
--        WHERE (status = 'booked')
-- so overlapping bookings for one tuner are rejected by the database.

-- name: BookTuning :one
-- Returns no row when the slot was taken in the meantime; the handler
-- answers 409 and reloads the calendar.
INSERT INTO tuning_appointments (studio_id, tuner_id, client_id, harp_id, starts_at, ends_at, status)
VALUES (@studio_id, @tuner_id, @client_id, @harp_id, @starts_at, @starts_at + interval '90 minutes', 'booked')
ON CONFLICT DO NOTHING
RETURNING id, starts_at, ends_at;

-- name: GetTuning :one
SELECT a.id, a.starts_at, a.ends_at, a.status, h.maker, h.model, h.string_count
FROM tuning_appointments a
JOIN harps h ON h.id = a.harp_id AND h.studio_id = a.studio_id
WHERE a.studio_id = @studio_id AND a.id = @id;

-- name: ListTunerDiary :many
-- Tuner's diary, one page at a time (keyset on starts_at, id).
SELECT a.id, a.starts_at, a.ends_at, a.status, c.display_name AS client_name, h.string_count
FROM tuning_appointments a
JOIN clients c ON c.id = a.client_id AND c.studio_id = a.studio_id
JOIN harps h ON h.id = a.harp_id AND h.studio_id = a.studio_id
WHERE a.studio_id = @studio_id
  AND a.tuner_id = @tuner_id
  AND (a.starts_at, a.id) > (@after_starts_at::timestamptz, @after_id::bigint)
ORDER BY a.starts_at, a.id
LIMIT @page_size;

-- name: CancelTuning :one
UPDATE tuning_appointments
SET status = 'cancelled', cancelled_at = now()
WHERE studio_id = @studio_id AND id = @id AND status = 'booked'
RETURNING id;

-- name: CompleteTuning :exec
-- Called when the tuner signs off; bumps the harp's counters in the same
-- statement so concurrent sign-offs never overwrite each other.
WITH done AS (
    UPDATE tuning_appointments
    SET status = 'completed', completed_at = now(), pitch_a4_hz = @pitch_a4_hz
    WHERE studio_id = @studio_id AND id = @id AND status = 'booked'
    RETURNING harp_id
)
UPDATE harps
SET tunings_count = tunings_count + 1,
    last_tuned_at = now(),
    last_pitch_a4_hz = @pitch_a4_hz
WHERE studio_id = @studio_id AND id = (SELECT harp_id FROM done);

-- name: ClientUpcoming :many
SELECT a.id, a.starts_at, a.status, h.maker, h.model
FROM tuning_appointments a
JOIN harps h ON h.id = a.harp_id AND h.studio_id = a.studio_id
WHERE a.studio_id = @studio_id
  AND a.client_id = @client_id
  AND a.starts_at >= now()
ORDER BY a.starts_at
LIMIT 20;
