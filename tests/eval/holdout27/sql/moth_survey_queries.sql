-- queries/moth_records.sql  (sqlc, engine: postgresql)
--
-- Moth-trapping survey records. Each recording group (county moth group,
-- nature reserve, garden-trap network) is a tenant: recorder_group_id is on
-- every table. The API handlers in internal/httpapi call these directly.

-- name: CreateTrapNight :one
INSERT INTO trap_nights (recorder_group_id, trap_id, night, lamp_type, min_temp_c, recorder_id)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (recorder_group_id, trap_id, night) DO UPDATE
    SET lamp_type = EXCLUDED.lamp_type, min_temp_c = EXCLUDED.min_temp_c
RETURNING *;

-- name: AddMothRecord :one
INSERT INTO moth_records (recorder_group_id, trap_night_id, species_code, abundance, stage, verified)
VALUES ($1, $2, $3, $4, $5, false)
RETURNING *;

-- name: ListTrapNights :many
-- Trap history page, newest first.
SELECT id, trap_id, night, lamp_type, min_temp_c
FROM trap_nights
WHERE recorder_group_id = $1 AND trap_id = $2
ORDER BY night DESC
LIMIT $3 OFFSET $4;

-- name: GetMothRecord :one
-- Record detail page and the verifier's edit form.
SELECT r.id, r.species_code, s.vernacular_name, r.abundance, r.stage, r.verified,
       n.night, n.trap_id
FROM moth_records r
JOIN species s ON s.code = r.species_code
JOIN trap_nights n ON n.id = r.trap_night_id
WHERE r.id = $1;

-- name: VerifyMothRecord :exec
UPDATE moth_records
SET verified = true, verified_by = $3, verified_at = now()
WHERE recorder_group_id = $1 AND id = $2;

-- name: ListSpeciesRecords :many
-- Species page: every record of a species for the group, for the flight-period chart and table.
SELECT r.id, n.night, n.trap_id, r.abundance, r.stage, r.verified
FROM moth_records r
JOIN trap_nights n ON n.id = r.trap_night_id
WHERE r.recorder_group_id = $1 AND r.species_code = $2
ORDER BY n.night;

-- name: GroupHomeTotals :many
-- Group home page (GET /groups/{id}): species list with totals, first/last
-- dates and number of traps, loaded whenever a member opens the site.
SELECT s.code, s.vernacular_name, s.bradley_no,
       count(*)                          AS records,
       sum(r.abundance)                  AS individuals,
       count(DISTINCT n.trap_id)         AS traps,
       count(DISTINCT date_part('year', n.night)) AS years_recorded,
       min(n.night)                      AS first_seen,
       max(n.night)                      AS last_seen
FROM moth_records r
JOIN trap_nights n ON n.id = r.trap_night_id
JOIN species s ON s.code = r.species_code
WHERE r.recorder_group_id = $1
GROUP BY s.code, s.vernacular_name, s.bradley_no
ORDER BY individuals DESC;

-- name: DeleteMothRecord :exec
DELETE FROM moth_records
WHERE recorder_group_id = $1 AND id = $2 AND NOT verified;
