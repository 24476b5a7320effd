-- queries/org_dashboard.sql
-- sqlc queries for the SaaS billing dashboard (internal/db/dashboard.sql.go is generated from this file).
-- Every query is scoped to the caller's organization; org_id comes from the session.

-- name: GetDashboardSummary :one
-- Powers the cards at the top of /dashboard. Called by GET /api/v1/dashboard on every page load.
SELECT
    count(DISTINCT c.id)                                              AS customers,
    count(DISTINCT s.id) FILTER (WHERE s.status = 'active')           AS active_subscriptions,
    coalesce(sum(i.amount_paid) FILTER (WHERE i.paid_at >= date_trunc('month', now())), 0) AS mrr_this_month,
    coalesce(sum(i.amount_paid), 0)                                   AS lifetime_revenue,
    count(i.id) FILTER (WHERE i.status = 'past_due')                  AS past_due_invoices,
    count(u.id)                                                       AS usage_events_30d
FROM customers c
LEFT JOIN subscriptions s ON s.customer_id = c.id
LEFT JOIN invoices i      ON i.customer_id = c.id
LEFT JOIN usage_events u  ON u.customer_id = c.id AND u.recorded_at > now() - interval '30 days'
WHERE c.org_id = sqlc.arg(org_id);

-- name: ListCustomers :many
SELECT id, name, email, created_at
FROM customers
WHERE org_id = sqlc.arg(org_id)
  AND (sqlc.narg(search)::text IS NULL OR name ILIKE '%' || sqlc.narg(search) || '%')
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(page_size) OFFSET sqlc.arg(page_offset);

-- name: ListInvoicesForExport :many
-- Used by GET /api/v1/invoices (the table view) and the CSV download button.
SELECT i.id, i.number, c.name AS customer_name, i.amount_due, i.amount_paid, i.status, i.issued_at, i.paid_at
FROM invoices i
JOIN customers c ON c.id = i.customer_id
WHERE i.org_id = sqlc.arg(org_id)
ORDER BY i.issued_at DESC;

-- name: GetInvoice :one
SELECT i.*, c.name AS customer_name, c.email AS customer_email
FROM invoices i
JOIN customers c ON c.id = i.customer_id
WHERE i.id = sqlc.arg(id);

-- name: VoidInvoice :execrows
UPDATE invoices
SET status = 'void', voided_at = now()
WHERE id = sqlc.arg(id)
  AND org_id = sqlc.arg(org_id)
  AND status IN ('open', 'past_due');

-- name: ListRecentPayments :many
SELECT p.id, p.invoice_id, p.amount, p.method, p.created_at
FROM payments p
WHERE p.org_id = sqlc.arg(org_id)
  AND p.created_at < sqlc.arg(before)
ORDER BY p.created_at DESC
LIMIT 50;
