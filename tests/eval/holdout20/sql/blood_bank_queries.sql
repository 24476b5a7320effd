-- sqlc queries for the transfusion service API (MySQL 8.0).
-- One database serves every hospital in the regional network; each row
-- carries hospital_id and the API resolves it from the caller's token.

-- name: GetUnit :one
SELECT id, hospital_id, donation_id, product, abo_group, rh, volume_ml,
       collected_on, expires_on, status
FROM blood_units
WHERE id = ? AND hospital_id = ?;

-- name: ListAvailableUnits :many
-- Issue screen: compatible units first-expiring-first-out.
SELECT id, product, abo_group, rh, volume_ml, expires_on
FROM blood_units
WHERE abo_group = ? AND rh = ? AND product = ?
  AND status = 'available'
  AND expires_on >= CURRENT_DATE
ORDER BY expires_on, id
LIMIT 50;

-- name: CountAvailableByGroup :many
-- Stock tiles on the bank's home page.
SELECT abo_group, rh, product, COUNT(*) AS units
FROM blood_units
WHERE hospital_id = ? AND status = 'available' AND expires_on >= CURRENT_DATE
GROUP BY abo_group, rh, product;

-- name: IssueUnit :execrows
-- Issues a unit to a patient only if nobody else issued it first.
UPDATE blood_units
SET status = 'issued', issued_to_patient = ?, issued_at = NOW()
WHERE id = ? AND hospital_id = ? AND status = 'available';

-- name: ListDonationsForDonor :many
SELECT d.id, d.collected_on, d.volume_ml, d.haemoglobin_g_dl, d.deferral_reason
FROM donations d
WHERE d.hospital_id = ? AND d.donor_id = ?
ORDER BY d.collected_on DESC
LIMIT ? OFFSET ?;

-- name: ExportDonationHistory :many
-- Backs GET /api/donations for the bank's records tab (rendered as a table).
SELECT d.id, d.donor_id, dn.full_name, d.collected_on, d.volume_ml,
       d.haemoglobin_g_dl, d.deferral_reason, d.created_at
FROM donations d
JOIN donors dn ON dn.id = d.donor_id
WHERE d.hospital_id = ?
ORDER BY d.collected_on DESC;

-- name: DiscardExpiredUnits :execrows
-- Nightly job: expired bags are moved to 'discarded' for the wastage report.
UPDATE blood_units
SET status = 'discarded', discarded_at = NOW()
WHERE hospital_id = ? AND status = 'available' AND expires_on < CURRENT_DATE;
