-- Observatory time-request queries (sqlc, PostgreSQL).
-- The booking service hosts several amateur observatories; observatory_id is
-- the tenant key and every query is scoped by it ($1 throughout).

-- name: PendingRequests :many
-- Allocation committee queue, oldest first, 50 per page (keyset on submitted_at, id).
SELECT r.id, r.member_id, r.target_name, r.ra_deg, r.dec_deg, r.minutes_requested,
       r.filter_set, r.submitted_at
FROM time_requests r
WHERE r.observatory_id = $1
  AND r.status = 'pending'
  AND (r.submitted_at, r.id) > ($2, $3)
ORDER BY r.submitted_at, r.id
LIMIT 50;

-- name: MembersByIds :many
-- Names for one page of requests, fetched in a single round trip.
SELECT m.id, m.display_name, m.membership_tier
FROM members m
WHERE m.observatory_id = $1
  AND m.id = ANY($2::bigint[]);

-- name: ApproveRequest :one
-- Only a still-pending request can be approved, and only once.
UPDATE time_requests
   SET status = 'approved', approved_by = $3, approved_at = now()
 WHERE observatory_id = $1 AND id = $2 AND status = 'pending'
RETURNING id, member_id, minutes_requested;

-- name: AllocateNight :one
-- Reserve minutes from a night's budget without overdrawing it.
UPDATE observing_nights
   SET minutes_allocated = minutes_allocated + $3
 WHERE observatory_id = $1
   AND night = $2
   AND minutes_allocated + $3 <= minutes_available
RETURNING night, minutes_allocated, minutes_available;

-- name: MyRequests :many
-- A member's own requests, newest first, 20 per page.
SELECT r.id, r.target_name, r.status, r.minutes_requested, r.submitted_at
FROM time_requests r
WHERE r.observatory_id = $1
  AND r.member_id = $2
  AND r.id < $3
ORDER BY r.id DESC
LIMIT 20;

-- name: RequestDetail :one
SELECT r.id, r.member_id, r.target_name, r.ra_deg, r.dec_deg, r.minutes_requested,
       r.filter_set, r.notes, r.status, r.submitted_at
FROM time_requests r
WHERE r.observatory_id = $1 AND r.id = $2;

-- name: NightSummary :one
-- Header of the night planner: one row from the nightly budget table.
SELECT night, minutes_available, minutes_allocated, moon_illumination
FROM observing_nights
WHERE observatory_id = $1 AND night = $2;
