-- name: SearchProducts :many
SELECT id, name, price_cents
FROM products
WHERE name ILIKE '%' || $1 || '%'
ORDER BY name
LIMIT 50;

-- name: AllOrdersForExport :many
SELECT o.id, o.created_at, o.total_cents, c.email
FROM orders o
JOIN customers c ON c.id = o.customer_id
ORDER BY o.id;

-- name: ProductById :one
SELECT id, name, price_cents FROM products WHERE id = $1;
