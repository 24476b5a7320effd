-- Order queries for the shop API (sqlc). Every table has account_id; the API passes it.

-- name: ListOrders :many
SELECT id, number, status, total_cents, created_at
FROM orders
WHERE account_id = $1
ORDER BY created_at DESC
LIMIT $2 OFFSET $3;

-- name: GetOrder :one
SELECT id, number, status, total_cents, created_at
FROM orders
WHERE account_id = $1 AND id = $2;

-- name: OrderLines :many
SELECT l.id, l.sku, l.quantity, l.unit_cents
FROM order_lines l
JOIN orders o ON o.id = l.order_id
WHERE o.account_id = $1 AND o.id = $2;

-- name: CustomerOrders :many
SELECT o.id, o.number, o.total_cents, o.created_at
FROM orders o
WHERE o.customer_id = $1
ORDER BY o.created_at DESC;

-- name: CancelOrder :exec
UPDATE orders SET status = 'cancelled', cancelled_at = now()
WHERE id = $1 AND status = 'pending';
