-- permit-service queries (sqlc, engine: postgresql)
-- Every permit table carries municipality_id; handlers take it from the staff/applicant token.

-- name: ListApplicationsByStatus :many
SELECT id, reference_no, permit_type, applicant_id, status, submitted_at
FROM permit_applications
WHERE municipality_id = $1
  AND status = $2
ORDER BY submitted_at
LIMIT $3 OFFSET $4;

-- name: ListAllApplications :many
-- staff "All applications" grid and its Export button (GET /api/applications)
SELECT a.*, u.full_name AS applicant_name, u.email AS applicant_email
FROM permit_applications a
JOIN users u ON u.id = a.applicant_id
WHERE a.municipality_id = $1
ORDER BY a.submitted_at DESC;

-- name: GetApplication :one
SELECT *
FROM permit_applications
WHERE municipality_id = $1 AND id = $2;

-- name: ListApplicationDocuments :many
SELECT id, kind, filename, size_bytes, uploaded_at
FROM application_documents
WHERE municipality_id = $1 AND application_id = $2
ORDER BY uploaded_at
LIMIT 100;

-- name: ScheduleInspection :one
INSERT INTO inspections (municipality_id, application_id, inspector_id, scheduled_for, status)
VALUES ($1, $2, $3, $4, 'scheduled')
RETURNING *;

-- name: GetInspection :one
-- inspector mobile app, GET /inspections/{id}
SELECT i.*, a.reference_no, a.site_address, a.permit_type
FROM inspections i
JOIN permit_applications a ON a.id = i.application_id
WHERE i.id = $1;

-- name: RecordInspectionResult :execrows
UPDATE inspections
SET status = $3, result_notes = $4, completed_at = now()
WHERE municipality_id = $1 AND id = $2 AND status = 'scheduled';

-- name: DashboardSummary :many
-- tiles + per-type table on the staff dashboard; the page loads this on open and every 60s
SELECT a.permit_type,
       count(*) FILTER (WHERE a.status = 'submitted')                 AS awaiting_review,
       count(*) FILTER (WHERE a.status = 'in_review')                 AS in_review,
       count(*) FILTER (WHERE a.status = 'approved'
                          AND a.decided_at >= date_trunc('month', now())) AS approved_this_month,
       avg(extract(epoch FROM a.decided_at - a.submitted_at) / 86400)
           FILTER (WHERE a.decided_at IS NOT NULL)                    AS avg_days_to_decision,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY a.decided_at - a.submitted_at)
                                                                      AS p90_time_to_decision,
       sum(a.fee_cents) FILTER (WHERE a.fee_paid)                     AS fees_collected_cents
FROM permit_applications a
WHERE a.municipality_id = $1
GROUP BY a.permit_type
ORDER BY a.permit_type;
