-- sqlc queries for the home-health visit service (internal/db/visits.sql.go
-- is generated from this file). Every table carries agency_id; the API
-- passes the caller's agency from the JWT.

-- name: ScheduleVisit :one
INSERT INTO visits (agency_id, patient_id, nurse_id, scheduled_start, scheduled_end, visit_type)
VALUES (@agency_id, @patient_id, @nurse_id, @scheduled_start, @scheduled_end, @visit_type)
RETURNING *;

-- name: GetVisit :one
SELECT * FROM visits
 WHERE id = @id AND agency_id = @agency_id;

-- name: ListNurseDay :many
SELECT v.id, v.patient_id, p.full_name, p.address_line, v.scheduled_start, v.scheduled_end, v.status
  FROM visits v
  JOIN patients p ON p.id = v.patient_id AND p.agency_id = v.agency_id
 WHERE v.agency_id = @agency_id
   AND v.nurse_id = @nurse_id
   AND v.scheduled_start >= @day_start
   AND v.scheduled_start < @day_start + interval '1 day'
 ORDER BY v.scheduled_start;

-- name: ListPatientVisits :many
-- patient chart > "Visit history" tab
SELECT v.id, v.scheduled_start, v.status, v.visit_type, n.full_name AS nurse_name, vn.summary
  FROM visits v
  JOIN nurses n ON n.id = v.nurse_id
  LEFT JOIN visit_notes vn ON vn.visit_id = v.id
 WHERE v.agency_id = @agency_id
   AND v.patient_id = @patient_id
 ORDER BY v.scheduled_start DESC;

-- name: CheckIn :execrows
UPDATE visits
   SET status = 'in_progress', checked_in_at = now(), checkin_lat = @lat, checkin_lng = @lng
 WHERE id = @id AND agency_id = @agency_id AND nurse_id = @nurse_id AND status = 'scheduled';

-- name: GetVisitNote :one
SELECT vn.visit_id, vn.vitals, vn.wound_assessment, vn.medications_given, vn.summary, vn.signed_by, vn.signed_at
  FROM visit_notes vn
 WHERE vn.visit_id = @visit_id;

-- name: SignVisitNote :execrows
UPDATE visit_notes
   SET signed_by = @nurse_id, signed_at = now()
 WHERE visit_id = @visit_id AND agency_id = @agency_id AND signed_at IS NULL;
