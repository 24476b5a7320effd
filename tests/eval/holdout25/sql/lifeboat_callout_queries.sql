-- Queries for the lifeboat station crew app. Each RNLI-style station is a
-- tenant: every table has station_id and the API always binds the station
-- from the crew member's login.

-- name: ActiveLaunches :many
SELECT l.id, l.launched_at, l.boat_name, l.tasking, l.status
  FROM launches l
 WHERE l.station_id = $1
   AND l.status IN ('paged', 'launched', 'returning')
 ORDER BY l.launched_at DESC
 LIMIT 10;

-- name: CalloutHistoryPage :many
-- Station log, keyset-paginated: the app passes the last (launched_at, id)
-- it has seen.
SELECT l.id, l.launched_at, l.boat_name, l.tasking, l.outcome,
       l.duration_min
  FROM launches l
 WHERE l.station_id = $1
   AND (l.launched_at, l.id) < ($2, $3)
 ORDER BY l.launched_at DESC, l.id DESC
 LIMIT 50;

-- name: CrewForLaunches :many
-- Crew lists for a whole page of launches in one round trip.
SELECT lc.launch_id, c.id AS crew_id, c.display_name, lc.role
  FROM launch_crew lc
  JOIN crew_members c ON c.id = lc.crew_id AND c.station_id = lc.station_id
 WHERE lc.station_id = $1
   AND lc.launch_id = ANY($2::bigint[])
 ORDER BY lc.launch_id, lc.role;

-- name: RespondToPage :one
-- A volunteer taps "responding" on the pager app. The unique key
-- (launch_id, crew_id) makes repeated taps harmless.
INSERT INTO page_responses (station_id, launch_id, crew_id, responded_at, eta_min)
VALUES ($1, $2, $3, now(), $4)
ON CONFLICT (launch_id, crew_id)
DO UPDATE SET eta_min = EXCLUDED.eta_min
RETURNING id, responded_at;

-- name: CloseLaunch :execrows
UPDATE launches
   SET status = 'closed', outcome = $3, closed_at = now()
 WHERE station_id = $1
   AND id = $2
   AND status <> 'closed';
