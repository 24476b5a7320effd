-- db/queries/rentals.sql
-- Loaded with goyesql / sqlc-style names by the rentals API. The platform
-- hosts several cargo-bike operators (city co-ops and a couple of bakeries
-- with delivery fleets); every table carries operator_id, and the API puts
-- the caller's operator id in $1.

-- name: list-available-bikes
-- Map view: bikes parked at a dock and not in maintenance.
SELECT b.id, b.label, b.model, b.battery_pct, d.name AS dock_name
FROM bikes b
JOIN docks d ON d.id = b.dock_id AND d.operator_id = b.operator_id
WHERE b.operator_id = $1
  AND b.dock_id = $2
  AND b.status = 'available'
ORDER BY b.battery_pct DESC
LIMIT 30;

-- name: start-rental
-- Claims the bike only if it is still available; zero rows means someone
-- else got there first.
WITH claimed AS (
    UPDATE bikes
       SET status = 'rented', dock_id = NULL
     WHERE operator_id = $1 AND id = $2 AND status = 'available'
 RETURNING id
)
INSERT INTO rentals (operator_id, bike_id, rider_id, started_at)
SELECT $1, claimed.id, $3, now()
FROM claimed
RETURNING id, started_at;

-- name: get-rental
-- Rider app polls this while a rental is running (price so far, battery).
SELECT r.id, r.bike_id, r.rider_id, r.started_at, r.ended_at,
       r.price_cents, b.battery_pct, b.label
FROM rentals r
JOIN bikes b ON b.id = r.bike_id
WHERE r.id = $2;

-- name: end-rental
UPDATE rentals
   SET ended_at = now(),
       end_dock_id = $3,
       price_cents = $4
 WHERE operator_id = $1
   AND id = $2
   AND ended_at IS NULL
RETURNING id, bike_id, price_cents;

-- name: rider-history
-- Rider profile, paged by started_at.
SELECT r.id, r.started_at, r.ended_at, r.price_cents, b.label
FROM rentals r
JOIN bikes b ON b.id = r.bike_id
WHERE r.operator_id = $1
  AND r.rider_id = $2
  AND r.started_at < $3
ORDER BY r.started_at DESC
LIMIT 25;

-- name: operator-rentals-export
-- Ops dashboard "Download CSV" button; the API streams the rows back as CSV.
SELECT r.id, r.bike_id, b.label, r.rider_id, r.started_at, r.ended_at,
       r.end_dock_id, r.price_cents
FROM rentals r
JOIN bikes b ON b.id = r.bike_id
WHERE r.operator_id = $1
ORDER BY r.started_at;
