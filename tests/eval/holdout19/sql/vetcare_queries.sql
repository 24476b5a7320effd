-- db/queries/consults.sql -- sqlc input for the vet telehealth API.
-- Multi-clinic: every table below carries clinic_id (see db/schema.sql) and the
-- API passes the caller's clinic from the JWT as the first argument.

-- name: GetConsult :one
SELECT c.id, c.clinic_id, c.pet_id, c.vet_id, c.status, c.started_at, c.ended_at
  FROM consults c
 WHERE c.clinic_id = $1 AND c.id = $2;

-- name: ListConsultsForVet :many
SELECT c.id, c.pet_id, p.name AS pet_name, c.status, c.started_at
  FROM consults c
  JOIN pets p ON p.id = c.pet_id AND p.clinic_id = c.clinic_id
 WHERE c.clinic_id = $1 AND c.vet_id = $2
   AND c.started_at < $3            -- keyset cursor
 ORDER BY c.started_at DESC
 LIMIT 25;

-- name: ListPatients :many
-- used by the clinic's "Patients" tab (web + tablet)
SELECT p.id, p.name, p.species, p.breed, p.birth_date, o.full_name AS owner_name, o.phone
  FROM pets p
  JOIN owners o ON o.id = p.owner_id AND o.clinic_id = p.clinic_id
 WHERE p.clinic_id = $1
 ORDER BY p.name;

-- name: GetConsultNote :one
SELECT n.id, n.consult_id, n.author_vet_id, n.soap_subjective, n.soap_objective,
       n.soap_assessment, n.soap_plan, n.created_at
  FROM consult_notes n
 WHERE n.id = $1;

-- name: CreateConsultNote :one
INSERT INTO consult_notes (clinic_id, consult_id, author_vet_id,
                           soap_subjective, soap_objective, soap_assessment, soap_plan)
SELECT c.clinic_id, c.id, $3, $4, $5, $6, $7
  FROM consults c
 WHERE c.clinic_id = $1 AND c.id = $2
RETURNING id, created_at;

-- name: ListNotesForConsult :many
SELECT n.id, n.author_vet_id, n.soap_assessment, n.created_at
  FROM consult_notes n
 WHERE n.clinic_id = $1 AND n.consult_id = $2
 ORDER BY n.created_at
 LIMIT 100;

-- name: EndConsult :execrows
UPDATE consults
   SET status = 'ended', ended_at = now()
 WHERE clinic_id = $1 AND id = $2 AND status = 'live';
