-- queries/dashboard.sql  (sqlc, package dashboard)
--
-- Backs the store-manager dashboard of the co-op delivery app. Every co-op is a tenant;
-- all tables carry coop_id. The dashboard page calls DashboardSummary, TopProducts and
-- LateDeliveries on every load and auto-refreshes every 60 s (~40 co-ops, 3-6 managers each
-- keep it open all day). order_items is ~90M rows.

-- name: DashboardSummary :one
SELECT
    count(*)                                         AS orders_today,
    count(*) FILTER (WHERE status = 'delivered')     AS delivered_today,
    coalesce(sum(total_cents), 0)                    AS revenue_today_cents
FROM orders
WHERE coop_id = $1
  AND created_at >= date_trunc('day', now());

-- name: TopProducts :many
-- Best sellers since the co-op joined, shown as a leaderboard with member share.
SELECT p.id,
       p.name,
       p.category,
       sum(oi.qty)                                  AS units,
       sum(oi.qty * oi.unit_price_cents)            AS revenue_cents,
       count(DISTINCT o.member_id)                  AS distinct_members,
       rank() OVER (ORDER BY sum(oi.qty) DESC)      AS rnk
FROM order_items oi
JOIN orders   o ON o.id = oi.order_id
JOIN products p ON p.id = oi.product_id
WHERE o.coop_id = $1
  AND o.status <> 'cancelled'
GROUP BY p.id, p.name, p.category
ORDER BY units DESC
LIMIT 25;

-- name: LateDeliveries :many
SELECT o.id, o.member_id, o.delivery_window_end, d.name AS driver, o.status
FROM orders o
LEFT JOIN drivers d ON d.id = o.driver_id AND d.coop_id = o.coop_id
WHERE o.coop_id = $1
  AND o.status IN ('packed', 'out_for_delivery')
  AND o.delivery_window_end < now()
ORDER BY o.delivery_window_end
LIMIT 50;

-- name: GetOrderDetail :one
-- Drawer that opens when a manager clicks an order row.
SELECT o.id, o.member_id, o.status, o.total_cents, o.address_line1, o.delivery_window_start,
       o.delivery_window_end, o.driver_id, o.notes
FROM orders o
WHERE o.id = $1;

-- name: ListOrderItems :many
SELECT oi.product_id, p.name, oi.qty, oi.unit_price_cents, oi.substituted_for
FROM order_items oi
JOIN products p ON p.id = oi.product_id AND p.coop_id = $1
WHERE oi.order_id = $2
ORDER BY p.name;

-- name: ReassignDriver :exec
UPDATE orders
SET driver_id = $3, updated_at = now()
WHERE coop_id = $1 AND id = $2;
