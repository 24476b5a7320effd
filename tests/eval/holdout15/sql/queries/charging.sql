-- sqlc queries for fleet charging (EV depot management).
-- Tenant = fleet_id. charger_models is a global catalog shared by all fleets
-- (no fleet column), everything else is per fleet.

-- name: GetChargerModel :one
SELECT id, vendor, model, max_kw, connector_types, ocpp_version
  FROM charger_models
 WHERE id = $1;

-- name: ListDepotChargers :many
SELECT c.id, c.label, c.status, c.current_session_id, m.vendor, m.model, m.max_kw
  FROM chargers c
  JOIN charger_models m ON m.id = c.model_id
 WHERE c.fleet_id = $1 AND c.depot_id = $2
 ORDER BY c.label
 LIMIT 200;

-- name: ClaimCharger :one
-- Atomically bind a free connector to a new session; returns no row if
-- someone else got it first (the API answers 409).
UPDATE chargers
   SET current_session_id = $3, status = 'charging', status_changed_at = now()
 WHERE fleet_id = $1
   AND id = $2
   AND current_session_id IS NULL
   AND status = 'available'
RETURNING id, label, current_session_id;

-- name: StartSession :one
INSERT INTO charge_sessions (id, fleet_id, charger_id, vehicle_id, started_at)
VALUES ($1, $2, $3, $4, now())
ON CONFLICT (id) DO NOTHING
RETURNING *;

-- name: ReleaseCharger :execrows
UPDATE chargers
   SET current_session_id = NULL, status = 'available', status_changed_at = now()
 WHERE fleet_id = $1 AND id = $2 AND current_session_id = $3;

-- name: ListVehicleSessions :many
-- keyset pagination: pass the last started_at/id from the previous page
SELECT id, charger_id, started_at, ended_at, kwh_delivered, cost_cents
  FROM charge_sessions
 WHERE fleet_id = $1
   AND vehicle_id = $2
   AND (started_at, id) < ($3::timestamptz, $4::uuid)
 ORDER BY started_at DESC, id DESC
 LIMIT 50;

-- name: AddMeterReading :exec
INSERT INTO meter_readings (fleet_id, session_id, read_at, kwh_total)
VALUES ($1, $2, $3, $4)
ON CONFLICT (session_id, read_at) DO NOTHING;

-- name: FleetEnergyThisMonth :one
-- reads the rollup maintained by the meter-ingest worker, not meter_readings
SELECT coalesce(sum(kwh), 0) AS kwh, coalesce(sum(cost_cents), 0) AS cost_cents
  FROM fleet_daily_energy
 WHERE fleet_id = $1
   AND day >= date_trunc('month', now())::date;
