-- queries/sale_tables.sql
-- sqlc queries for the village hall bookings platform. All halls on the
-- platform share these tables; hall_id comes from the signed-in committee
-- member's session and scopes every row.

-- name: GetSale :one
SELECT id, hall_id, title, sale_date, doors_open, table_fee_pence
  FROM jumble_sales
 WHERE hall_id = $1 AND id = $2;

-- name: ListTablesForSale :many
SELECT t.id, t.table_no, t.position, t.status, t.stallholder_id, s.display_name
  FROM sale_tables t
  LEFT JOIN stallholders s ON s.id = t.stallholder_id AND s.hall_id = t.hall_id
 WHERE t.hall_id = $1 AND t.sale_id = $2
 ORDER BY t.table_no
 LIMIT $3 OFFSET $4;

-- name: CountFreeTables :one
SELECT count(*)
  FROM sale_tables
 WHERE hall_id = $1 AND sale_id = $2 AND status = 'free';

-- name: ReserveTable :one
-- Atomic: only a free table can be reserved; zero rows means someone beat you.
UPDATE sale_tables
   SET status = 'reserved', stallholder_id = $3, reserved_at = now()
 WHERE hall_id = $1 AND id = $2 AND status = 'free'
RETURNING id, table_no, status;

-- name: MarkTablePaid :exec
UPDATE sale_tables
   SET status = 'paid', paid_at = now()
 WHERE hall_id = $1 AND id = $2 AND status = 'reserved';

-- name: CancelTable :exec
-- Used by the "release table" button on the committee's sale screen.
UPDATE sale_tables SET status = 'free', stallholder_id = NULL, reserved_at = NULL WHERE id = $1;

-- name: CreateStallholder :one
INSERT INTO stallholders (hall_id, display_name, email, phone, sells)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (hall_id, email) DO UPDATE SET phone = EXCLUDED.phone, sells = EXCLUDED.sells
RETURNING id;

-- name: ListStallholderDirectory :many
-- Directory page for the committee: everyone who has ever booked a table here.
SELECT id, display_name, email, phone, sells, first_booked_at
  FROM stallholders
 WHERE hall_id = $1
 ORDER BY display_name;

-- name: SalesForHall :many
SELECT id, title, sale_date
  FROM jumble_sales
 WHERE hall_id = $1 AND sale_date >= current_date
 ORDER BY sale_date
 LIMIT 20;
