-- queries/claims.sql  (sqlc)  — pet insurance claims portal
-- claims: ~40M rows, +60k/day.  policies: ~3M.  pets: ~3.5M

-- name: GetClaim :one
SELECT id, account_id, pet_id, policy_id, status, amount_cents, vet_name, submitted_at
FROM claims
WHERE id = $1 AND account_id = $2;

-- name: ListClaimsForAccount :many
-- customer portal "My claims" tab; returns everything, the SPA sorts/filters client-side
SELECT c.id, c.pet_id, p.name AS pet_name, c.status, c.amount_cents, c.vet_name, c.submitted_at
FROM claims c
JOIN pets p ON p.id = c.pet_id
WHERE c.account_id = $1
ORDER BY c.submitted_at DESC;

-- name: ListClaimDocuments :many
SELECT id, claim_id, filename, content_type, uploaded_at
FROM claim_documents
WHERE claim_id = $1 AND account_id = $2
ORDER BY uploaded_at
LIMIT 50;

-- name: InsurerDashboard :many
-- GET /api/insurer/dashboard — the underwriting team's landing page;
-- the page polls this endpoint every 30s to keep the charts live.
SELECT date_trunc('month', c.submitted_at)            AS month,
       pe.species,
       pe.breed,
       count(*)                                        AS claims,
       sum(c.amount_cents)                             AS claimed_cents,
       sum(c.paid_cents)                               AS paid_cents,
       avg(extract(epoch FROM c.decided_at - c.submitted_at) / 86400) AS avg_days_to_decision,
       sum(c.paid_cents)::numeric / nullif(sum(po.premium_cents), 0)  AS loss_ratio
FROM claims c
JOIN policies po ON po.id = c.policy_id
JOIN pets pe     ON pe.id = c.pet_id
WHERE c.submitted_at >= now() - interval '24 months'
GROUP BY 1, 2, 3
ORDER BY 1 DESC, claims DESC;

-- name: UpdateClaimStatus :execrows
UPDATE claims
SET status = $3, decided_at = CASE WHEN $3 IN ('approved', 'rejected') THEN now() END
WHERE id = $1 AND account_id = $2 AND status = 'in_review';
