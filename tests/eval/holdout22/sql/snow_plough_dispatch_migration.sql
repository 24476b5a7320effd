-- 2024_11_02_plough_dispatch.sql
-- Winter service dispatch for the councils on the shared platform.
-- council_id is on every table and in every index prefix; row-level security
-- enforces it for the app role in addition to the app's own WHERE clauses.

BEGIN;

CREATE TABLE plough_vehicles (
    id           bigserial PRIMARY KEY,
    council_id   int    NOT NULL REFERENCES councils(id),
    depot_id     bigint NOT NULL,
    fleet_no     text   NOT NULL,
    kind         text   NOT NULL CHECK (kind IN ('gritter', 'plough', 'tractor')),
    UNIQUE (council_id, fleet_no)
);

CREATE TABLE plough_dispatches (
    id           bigserial PRIMARY KEY,
    council_id   int    NOT NULL REFERENCES councils(id),
    vehicle_id   bigint NOT NULL REFERENCES plough_vehicles(id),
    route_id     bigint NOT NULL,
    dispatched_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    request_key  uuid   NOT NULL,
    UNIQUE (council_id, request_key)
);

-- One open dispatch per vehicle: a second "send" for a truck already out fails
-- on the index instead of relying on a prior SELECT.
CREATE UNIQUE INDEX plough_dispatches_one_open_per_vehicle
    ON plough_dispatches (vehicle_id) WHERE completed_at IS NULL;

CREATE INDEX plough_dispatches_council_time_idx
    ON plough_dispatches (council_id, dispatched_at DESC);

ALTER TABLE plough_vehicles   ENABLE ROW LEVEL SECURITY;
ALTER TABLE plough_dispatches ENABLE ROW LEVEL SECURITY;

CREATE POLICY council_isolation ON plough_vehicles
    USING (council_id = current_setting('app.council_id')::int);
CREATE POLICY council_isolation ON plough_dispatches
    USING (council_id = current_setting('app.council_id')::int);

-- Season totals for the cabinet-member dashboard. Precomputed; the dashboard
-- reads this view, never the raw dispatch table.
CREATE MATERIALIZED VIEW plough_season_totals AS
SELECT d.council_id,
       v.depot_id,
       date_trunc('week', d.dispatched_at)                       AS week,
       count(*)                                                  AS dispatches,
       sum(extract(epoch FROM d.completed_at - d.dispatched_at)) / 3600.0 AS vehicle_hours
  FROM plough_dispatches d
  JOIN plough_vehicles v ON v.id = d.vehicle_id
 WHERE d.completed_at IS NOT NULL
 GROUP BY d.council_id, v.depot_id, date_trunc('week', d.dispatched_at);

CREATE UNIQUE INDEX plough_season_totals_key
    ON plough_season_totals (council_id, depot_id, week);

COMMIT;

-- Refreshed off-peak by pg_cron, concurrently so readers never block.
SELECT cron.schedule(
    'refresh-plough-season-totals',
    '*/30 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY plough_season_totals$$
);

-- name: DispatchVehicle :one
INSERT INTO plough_dispatches (council_id, vehicle_id, route_id, request_key)
VALUES ($1, $2, $3, $4)
ON CONFLICT (council_id, request_key) DO NOTHING
RETURNING id;

-- name: SeasonTotalsForDepot :many
SELECT week, dispatches, vehicle_hours
  FROM plough_season_totals
 WHERE council_id = $1 AND depot_id = $2
 ORDER BY week DESC
 LIMIT 30;
