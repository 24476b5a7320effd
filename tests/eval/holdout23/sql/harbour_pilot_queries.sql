-- queries/pilotage.sql  (sqlc, engine: postgresql)
-- Used by the pilot dispatch service and the pilots' mobile app.

-- name: CreateAssignment :one
INSERT INTO assignments (vessel_call_id, pilot_id, vessel_name, imo, berth, boarding_at, status)
VALUES ($1, $2, $3, $4, $5, $6, 'assigned')
ON CONFLICT (vessel_call_id) DO NOTHING
RETURNING id;

-- name: ListOpenCalls :many
-- Dispatch board: vessels expected in the next 12 hours without a pilot.
SELECT c.id, c.vessel_name, c.imo, c.eta_boarding, c.berth, c.draught_m
  FROM vessel_calls c
  LEFT JOIN assignments a ON a.vessel_call_id = c.id
 WHERE a.id IS NULL
   AND c.eta_boarding BETWEEN now() AND now() + interval '12 hours'
 ORDER BY c.eta_boarding
 LIMIT 100;

-- name: ListAssignmentsForPilot :many
-- "My jobs" tab in the pilots' app, newest first.
SELECT id, vessel_name, imo, berth, boarding_at, disembarked_at, status FROM assignments WHERE pilot_id = $1 ORDER BY boarding_at DESC;

-- name: GetPilotRestBalance :one
-- After each job the dispatch service adds the job's mandatory rest to the
-- pilot's balance and stores the new total with SetPilotRestBalance.
SELECT rest_minutes_owed, last_disembarked_at FROM pilots WHERE id = $1;

-- name: SetPilotRestBalance :exec
UPDATE pilots
   SET rest_minutes_owed   = $2,
       last_disembarked_at = $3,
       updated_at          = now()
 WHERE id = $1;

-- name: CompleteAssignment :one
UPDATE assignments
   SET status = 'completed',
       disembarked_at = $2
 WHERE id = $1
   AND status = 'assigned'
RETURNING id, pilot_id, boarding_at, disembarked_at;

-- name: PilotsOnWatch :many
SELECT p.id, p.name, p.licence_class, p.rest_minutes_owed
  FROM pilots p
 WHERE p.on_watch
   AND p.rest_minutes_owed = 0
 ORDER BY p.last_disembarked_at NULLS FIRST
 LIMIT 50;

-- name: AssignmentTrack :many
-- Position fixes recorded by the pilot's PPU during one job (every 10 s).
SELECT t.recorded_at, t.lat, t.lon, t.sog_knots
  FROM ppu_track t
 WHERE t.assignment_id = $1
 ORDER BY t.recorded_at
 LIMIT 5000;
