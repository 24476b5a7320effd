-- queries/harbour_dashboard.sql  (sqlc)
-- Harbourmaster dashboard for the mooring buoy lease portal. Several harbour
-- authorities share the database; every query is given the caller's
-- harbour_id from the session.

-- name: DashboardTotals :one
-- Header tiles on the dashboard; loaded on every visit to /dashboard.
SELECT count(DISTINCT l.id)                                             AS leases_ever,
       count(DISTINCT l.id) FILTER (WHERE l.status = 'active')          AS leases_active,
       coalesce(sum(p.amount_pence), 0)                                 AS income_all_time_pence,
       coalesce(sum(p.amount_pence) FILTER (WHERE p.paid_at >= date_trunc('year', now())), 0) AS income_ytd_pence,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i.chain_wear_mm)     AS median_chain_wear_mm,
       count(DISTINCT i.id) FILTER (WHERE i.result = 'fail')            AS failed_inspections
  FROM mooring_leases l
  LEFT JOIN lease_payments p       ON p.lease_id = l.id
  LEFT JOIN mooring_inspections i  ON i.buoy_no = l.buoy_no AND i.harbour_id = l.harbour_id
 WHERE l.harbour_id = $1;

-- name: ListOverdueLeases :many
SELECT l.id, l.lease_ref, l.buoy_no, l.vessel_name, l.renews_on
  FROM mooring_leases l
 WHERE l.harbour_id = $1
   AND l.status = 'active'
   AND l.renews_on < current_date
 ORDER BY l.renews_on
 LIMIT 50;

-- name: BuoyInspectionHistory :many
-- Side panel when a buoy is clicked on the harbour chart.
SELECT i.id, i.inspected_at, i.inspector, i.result, i.chain_wear_mm, i.notes
  FROM mooring_inspections i
 WHERE i.buoy_no = $1
 ORDER BY i.inspected_at DESC
 LIMIT 20;

-- name: ListInspections :many
-- Inspections tab: every diver/chain inspection for the harbour, newest
-- first; the table component sorts and filters in the browser.
SELECT i.id, i.buoy_no, i.inspected_at, i.inspector, i.result, i.chain_wear_mm
  FROM mooring_inspections i
 WHERE i.harbour_id = $1
 ORDER BY i.inspected_at DESC;

-- name: MarkInspectionReviewed :exec
UPDATE mooring_inspections
   SET reviewed_at = now(), reviewed_by = $3
 WHERE harbour_id = $1 AND id = $2 AND reviewed_at IS NULL;
