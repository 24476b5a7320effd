-- sqlc queries for the seller portal (internal/db/queries/seller_payouts.sql).
-- Every table here carries marketplace_id; the portal serves many
-- white-label marketplaces from one database.

-- name: GetSeller :one
SELECT id, marketplace_id, display_name, payout_schedule, stripe_account_id
FROM sellers
WHERE marketplace_id = $1 AND id = $2;

-- name: ListSellerOrders :many
SELECT o.id, o.created_at, o.total_cents, o.status
FROM orders o
WHERE o.marketplace_id = $1 AND o.seller_id = $2
  AND o.created_at < sqlc.arg(before)::timestamptz
ORDER BY o.created_at DESC
LIMIT sqlc.arg(page_size);

-- name: GetPayout :one
-- Used by GET /portal/payouts/{id}
SELECT p.id, p.seller_id, p.amount_cents, p.currency, p.status, p.arrival_date, p.bank_last4
FROM payouts p
WHERE p.id = $1;

-- name: ListPayoutsForSeller :many
SELECT id, amount_cents, currency, status, arrival_date
FROM payouts
WHERE marketplace_id = $1 AND seller_id = $2
ORDER BY arrival_date DESC
LIMIT 50 OFFSET sqlc.arg(page_offset);

-- name: ListLedgerEntries :many
-- Feeds the "Transactions" tab (GET /portal/transactions), rendered as one JSON array.
SELECT e.id, e.kind, e.amount_cents, e.order_id, e.payout_id, e.created_at
FROM ledger_entries e
WHERE e.marketplace_id = $1 AND e.seller_id = $2
ORDER BY e.created_at DESC;

-- name: MarketplaceOverview :one
-- Admin dashboard header tiles, loaded on every visit to /admin.
SELECT count(DISTINCT o.id)                              AS orders_all_time,
       count(DISTINCT o.buyer_id)                        AS unique_buyers,
       coalesce(sum(oi.quantity * oi.unit_price_cents), 0) AS gmv_cents,
       coalesce(sum(f.fee_cents), 0)                     AS fees_cents,
       count(DISTINCT o.seller_id) FILTER (WHERE o.created_at > now() - interval '30 days') AS active_sellers
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
LEFT JOIN platform_fees f ON f.order_id = o.id
WHERE o.marketplace_id = $1;

-- name: MarkPayoutPaid :exec
UPDATE payouts
SET status = 'paid', paid_at = now()
WHERE marketplace_id = $1 AND id = $2 AND status = 'in_transit';
