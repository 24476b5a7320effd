-- repair-api/db/queries/tickets.sql (sqlc, PostgreSQL 16)
-- Vintage camera repair workshops: each shop is a tenant and every query
-- takes the shop id from the authenticated session as $1.

-- name: ListTicketsPage :many
-- Keyset pagination for the ticket board; the client passes the last
-- (received_at, id) it saw.
SELECT id, customer_name, camera_model, fault_summary, status, received_at
FROM repair_tickets
WHERE shop_id = $1
  AND (received_at, id) < ($2::timestamptz, $3::bigint)
ORDER BY received_at DESC, id DESC
LIMIT $4;

-- name: GetTicketsByIDs :many
-- Used by the "print job cards" screen for a handful of selected tickets.
SELECT id, camera_model, serial_no, fault_summary, bench_notes
FROM repair_tickets
WHERE shop_id = $1
  AND id = ANY($2::bigint[])
ORDER BY id;

-- name: ClaimNextTicket :one
-- A technician takes the next queued job; SKIP LOCKED lets two benches
-- claim at the same moment without getting the same camera.
UPDATE repair_tickets
SET status = 'on_bench', technician_id = $2, started_at = now()
WHERE id = (
    SELECT id FROM repair_tickets
    WHERE shop_id = $1 AND status = 'queued'
    ORDER BY priority DESC, received_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
RETURNING id, camera_model, fault_summary;

-- name: UseSparePart :one
-- Takes parts out of stock only if enough are on the shelf; no row back
-- means "out of stock" to the caller.
UPDATE spare_parts
SET on_hand = on_hand - $3
WHERE shop_id = $1 AND sku = $2 AND on_hand >= $3
RETURNING on_hand;

-- name: AddPartToTicket :exec
INSERT INTO ticket_parts (shop_id, ticket_id, sku, qty)
VALUES ($1, $2, $3, $4)
ON CONFLICT (ticket_id, sku)
DO UPDATE SET qty = ticket_parts.qty + EXCLUDED.qty;

-- name: TicketHistory :many
SELECT at, actor, event, detail
FROM ticket_events
WHERE shop_id = $1 AND ticket_id = $2
ORDER BY at DESC
LIMIT 100;
