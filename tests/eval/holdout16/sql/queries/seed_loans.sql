-- queries/seed_loans.sql  (sqlc)
-- SeedShare hosts many community seed libraries; every row carries library_id.

-- name: ListVarieties :many
SELECT id, name, species, days_to_maturity, packets_available
  FROM varieties
 WHERE library_id = $1
 ORDER BY name
 LIMIT $2 OFFSET $3;

-- name: CreateLoan :one
INSERT INTO loans (library_id, member_id, variety_id, packets, borrowed_at)
VALUES ($1, $2, $3, $4, now())
RETURNING *;

-- name: GetLoan :one
-- GET /api/loans/{id}
SELECT l.*, v.name AS variety_name
  FROM loans l
  JOIN varieties v ON v.id = l.variety_id
 WHERE l.id = $1;

-- name: ReturnLoan :exec
-- Member brings back seed saved from their harvest.
UPDATE loans
   SET returned_at = now(), packets_returned = $3
 WHERE id = $1 AND library_id = $2 AND returned_at IS NULL;

-- name: ListMemberLoans :many
SELECT id, variety_id, packets, borrowed_at, returned_at
  FROM loans
 WHERE library_id = $1 AND member_id = $2
 ORDER BY borrowed_at DESC
 LIMIT 50;

-- name: ListLoans :many
-- GET /api/loans  (librarian "All loans" table)
SELECT l.id, m.full_name, v.name AS variety_name, l.packets, l.borrowed_at, l.returned_at
  FROM loans l
  JOIN members m   ON m.id = l.member_id
  JOIN varieties v ON v.id = l.variety_id
 WHERE l.library_id = $1
 ORDER BY l.borrowed_at DESC;

-- name: DashboardStats :one
-- GET /api/dashboard, loaded every time a librarian opens the app.
SELECT count(*)                                           AS total_loans,
       count(*) FILTER (WHERE l.returned_at IS NULL)      AS open_loans,
       coalesce(sum(l.packets), 0)                        AS packets_out,
       coalesce(sum(l.packets_returned), 0)               AS packets_back,
       count(DISTINCT l.member_id)                        AS active_members,
       avg(g.germination_pct)                             AS avg_germination,
       count(DISTINCT g.variety_id) FILTER (WHERE g.germination_pct < 60) AS weak_varieties
  FROM loans l
  LEFT JOIN germination_reports g ON g.variety_id = l.variety_id AND g.library_id = l.library_id
 WHERE l.library_id = $1;
