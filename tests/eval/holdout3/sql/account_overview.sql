-- reports/account_overview.sql
-- Queries behind the customer "Account overview" page.
-- Embedded by internal/reports/overview.go and executed on every
-- GET /api/accounts/:account_id/overview (the page polls it every 60 s).

-- name: OverviewTotals
SELECT count(DISTINCT o.id)                                               AS orders_total,
    count(DISTINCT o.id) FILTER (WHERE o.created_at >= now() - interval '30 days') AS orders_30d,
    coalesce(sum(oi.quantity * oi.unit_price_cents), 0)                   AS revenue_cents,
    coalesce(sum(oi.quantity * oi.unit_price_cents)
             FILTER (WHERE o.created_at >= now() - interval '30 days'), 0) AS revenue_30d_cents,
    count(DISTINCT o.customer_id)                                         AS customers,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY o.total_cents)            AS median_order_cents
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
WHERE o.account_id = :account_id
  AND o.status <> 'cancelled';

-- name: OverviewRecentOrders
SELECT o.id, o.number, o.customer_name, o.total_cents, o.status, o.created_at
FROM orders o
WHERE o.account_id = :account_id
ORDER BY o.created_at DESC
LIMIT 10;

-- name: CreateShareLink
-- "Share this report" button: anyone with the link can view it for 7 days.
INSERT INTO report_share_links (account_id, token, report_kind, created_by, expires_at)
VALUES (:account_id, :token, :report_kind, :user_id, now() + interval '7 days')
RETURNING token, expires_at;

-- name: ResolveShareLink
-- Public endpoint GET /shared/:token; the token itself is the credential.
SELECT account_id, report_kind
FROM report_share_links
WHERE token = :token
  AND expires_at > now();

-- name: ListShareLinks
SELECT token, report_kind, created_by, expires_at
FROM report_share_links
WHERE account_id = :account_id
  AND expires_at > now()
ORDER BY expires_at DESC
LIMIT 20;
