-- name: ListShopOrders :many
-- Admin order table and export, newest first.
SELECT o.id, o.customer_email, o.total_cents, o.status, o.created_at,
       COUNT(i.id) AS item_count
FROM orders o
JOIN order_items i ON i.order_id = o.id
WHERE o.shop_id = $1
GROUP BY o.id
ORDER BY o.id DESC;
