-- db/queries/trips.sql  (MySQL 8, sqlc engine: mysql)
-- Dial-a-ride booking service used by four community transport operators.
-- Each operator is a tenant: trips, passengers and vehicles all carry
-- operator_id, and the API takes it from the dispatcher's login.

-- name: ListTripsForDay :many
SELECT t.id, t.pickup_at, t.pickup_address, t.dropoff_address, t.status,
       t.wheelchair, p.full_name, p.phone, v.call_sign
FROM trips t
JOIN passengers p ON p.id = t.passenger_id AND p.operator_id = t.operator_id
LEFT JOIN vehicles v ON v.id = t.vehicle_id AND v.operator_id = t.operator_id
WHERE t.operator_id = ? AND t.pickup_at >= ? AND t.pickup_at < ?
ORDER BY t.pickup_at
LIMIT ? OFFSET ?;

-- name: GetPassenger :one
SELECT id, full_name, phone, address, mobility_notes, concession_card
FROM passengers
WHERE operator_id = ? AND id = ?;

-- name: CreateTrip :execlastid
INSERT INTO trips (operator_id, passenger_id, pickup_at, pickup_address,
                   dropoff_address, wheelchair, status, booked_by)
VALUES (?, ?, ?, ?, ?, ?, 'requested', ?);

-- name: AssignVehicle :execrows
UPDATE trips
SET vehicle_id = ?, status = 'scheduled'
WHERE operator_id = ? AND id = ? AND status = 'requested';

-- name: CancelTrip :execrows
-- Dispatcher cancels from the day sheet, or the passenger phones in.
UPDATE trips
SET status = 'cancelled', cancelled_at = NOW(), cancel_reason = ?
WHERE id = ? AND status IN ('requested', 'scheduled');

-- name: TripHistoryForOperator :many
-- Feeds the "All trips" tab of the dispatcher console.
SELECT t.id, t.pickup_at, t.status, t.pickup_address, t.dropoff_address,
       p.full_name, v.call_sign, t.cancel_reason
FROM trips t
JOIN passengers p ON p.id = t.passenger_id
LEFT JOIN vehicles v ON v.id = t.vehicle_id
WHERE t.operator_id = ?
ORDER BY t.pickup_at DESC;

-- name: SearchPassengers :many
SELECT id, full_name, phone, postcode
FROM passengers
WHERE operator_id = ? AND full_name LIKE CONCAT(?, '%')
ORDER BY full_name
LIMIT 25;
