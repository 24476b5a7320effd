-- queries/volunteer.sql  (sqlc, package volunteerdb)
-- Every table carries org_id; the API takes org_id from the coordinator's JWT.

-- name: ListUpcomingShifts :many
SELECT s.id, s.title, s.location, s.starts_at, s.ends_at, s.slots,
       (SELECT count(*) FROM shift_signups ss
         WHERE ss.shift_id = s.id AND ss.org_id = s.org_id AND ss.status = 'confirmed') AS filled
  FROM shifts s
 WHERE s.org_id = $1
   AND s.starts_at >= now()
 ORDER BY s.starts_at
 LIMIT $2 OFFSET $3;

-- name: GetShift :one
SELECT id, title, location, starts_at, ends_at, slots, notes
  FROM shifts
 WHERE org_id = $1 AND id = $2;

-- name: ListSignupsForShift :many
SELECT ss.id, v.full_name, v.phone, ss.status, ss.created_at
  FROM shift_signups ss
  JOIN volunteers v ON v.id = ss.volunteer_id AND v.org_id = ss.org_id
 WHERE ss.org_id = $1 AND ss.shift_id = $2
 ORDER BY ss.created_at
 LIMIT 500;

-- name: CreateSignup :one
INSERT INTO shift_signups (org_id, shift_id, volunteer_id, status)
VALUES ($1, $2, $3, 'confirmed')
ON CONFLICT (shift_id, volunteer_id) DO NOTHING
RETURNING id;

-- name: CancelSignup :exec
-- coordinator removes a volunteer from a shift
UPDATE shift_signups
   SET status = 'cancelled', cancelled_at = now()
 WHERE id = $1;

-- name: RecordHours :exec
UPDATE shift_signups
   SET hours_logged = $3, checked_out_at = now()
 WHERE org_id = $1 AND id = $2;

-- name: ListOrgHours :many
-- Admin "Hours" tab: one row per signup with logged hours, newest first.
SELECT ss.id, v.full_name, s.title, s.starts_at, ss.hours_logged
  FROM shift_signups ss
  JOIN shifts s     ON s.id = ss.shift_id
  JOIN volunteers v ON v.id = ss.volunteer_id
 WHERE ss.org_id = $1
   AND ss.hours_logged IS NOT NULL
 ORDER BY s.starts_at DESC;

-- name: VolunteerTotals :one
SELECT coalesce(sum(hours_logged), 0)::numeric AS total_hours,
       count(*) FILTER (WHERE status = 'confirmed') AS shifts_done
  FROM shift_signups
 WHERE org_id = $1 AND volunteer_id = $2;
