-- sqlc queries for clinic-api.
-- Tenant column: clinic_id, present on every clinical table (patients, owners, visits,
-- vaccinations, appointment_slots, inventory_items). Lookup tables (species, breeds,
-- vaccine_products) are global reference data and have no clinic_id.

-- name: SearchPatients :many
SELECT p.id, p.name, p.species_id, p.breed_id, p.owner_id, p.date_of_birth
FROM patients p
WHERE p.clinic_id = $1
  AND p.deceased_at IS NULL
  AND p.name ILIKE $2 || '%'
ORDER BY p.name, p.id
LIMIT $3 OFFSET $4;

-- name: GetPatient :one
SELECT *
FROM patients
WHERE clinic_id = $1 AND id = $2;

-- name: GetSpecies :one
SELECT id, common_name, latin_name
FROM species
WHERE id = $1;

-- name: ListVaccinationsForPatients :many
-- one round trip for a whole page of patients (ids from SearchPatients)
SELECT v.patient_id, vp.name AS vaccine, v.given_on, v.due_on
FROM vaccinations v
JOIN vaccine_products vp ON vp.id = v.vaccine_product_id
WHERE v.clinic_id = $1
  AND v.patient_id = ANY($2::bigint[])
ORDER BY v.patient_id, v.given_on DESC;

-- name: LockAppointmentSlot :one
-- step 1 of booking, inside the same transaction as BookAppointmentSlot
SELECT id, vet_id, starts_at, booked_patient_id
FROM appointment_slots
WHERE clinic_id = $1 AND id = $2
FOR UPDATE;

-- name: BookAppointmentSlot :execrows
UPDATE appointment_slots
SET booked_patient_id = $3, booked_at = now()
WHERE clinic_id = $1 AND id = $2 AND booked_patient_id IS NULL;

-- name: UseInventory :execrows
-- 0 rows affected => not enough stock; the handler returns 409
UPDATE inventory_items
SET on_hand = on_hand - sqlc.arg(qty), updated_at = now()
WHERE clinic_id = sqlc.arg(clinic_id)
  AND id = sqlc.arg(item_id)
  AND on_hand >= sqlc.arg(qty);

-- name: ListUpcomingAppointments :many
SELECT s.id, s.starts_at, s.vet_id, p.name AS patient_name, o.full_name AS owner_name
FROM appointment_slots s
JOIN patients p ON p.id = s.booked_patient_id AND p.clinic_id = s.clinic_id
JOIN owners   o ON o.id = p.owner_id AND o.clinic_id = p.clinic_id
WHERE s.clinic_id = $1
  AND s.starts_at >= now()
  AND s.starts_at <  now() + interval '7 days'
ORDER BY s.starts_at
LIMIT 200;
