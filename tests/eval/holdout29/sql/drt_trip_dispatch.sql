-- Demand-responsive rural bus: trip requests queue for the dispatcher workers.
-- Several bus operators share the platform; operator_id scopes every query.

-- name: ClaimPendingTrips :many
-- Each dispatcher worker claims a small batch; SKIP LOCKED lets the three
-- workers run side by side without picking the same request.
WITH picked AS (
    SELECT id
      FROM trip_requests
     WHERE operator_id = $1
       AND status = 'pending'
       AND requested_pickup <= now() + interval '2 hours'
     ORDER BY requested_pickup, id
     LIMIT 20
     FOR UPDATE SKIP LOCKED
)
UPDATE trip_requests t
   SET status = 'dispatching', claimed_by = $2, claimed_at = now()
  FROM picked
 WHERE t.id = picked.id
   AND t.operator_id = $1
RETURNING t.id, t.passenger_id, t.pickup_zone, t.dropoff_zone, t.requested_pickup, t.party_size;

-- name: PassengersForTrips :many
-- One round trip for the whole batch instead of a lookup per trip.
SELECT p.id, p.display_name, p.mobility_needs, p.phone
  FROM passengers p
 WHERE p.operator_id = $1
   AND p.id = ANY($2::bigint[]);

-- name: AssignVehicle :execrows
-- Set-based assignment for the whole batch; the dispatcher checks rows
-- affected equals the batch size.
UPDATE trip_requests t
   SET status = 'assigned',
       vehicle_id = a.vehicle_id,
       pickup_window_start = a.window_start,
       pickup_window_end = a.window_end
  FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[], $5::timestamptz[])
       AS a(trip_id, vehicle_id, window_start, window_end)
 WHERE t.id = a.trip_id
   AND t.operator_id = $1
   AND t.status = 'dispatching';

-- name: ReleaseStaleClaims :execrows
-- Requests claimed by a worker that died are put back after five minutes.
UPDATE trip_requests
   SET status = 'pending', claimed_by = NULL, claimed_at = NULL
 WHERE operator_id = $1
   AND status = 'dispatching'
   AND claimed_at < now() - interval '5 minutes';

-- name: PassengerUpcomingTrips :many
SELECT id, pickup_zone, dropoff_zone, pickup_window_start, pickup_window_end, status
  FROM trip_requests
 WHERE operator_id = $1
   AND passenger_id = $2
   AND requested_pickup >= now() - interval '1 day'
 ORDER BY requested_pickup
 LIMIT 20;
