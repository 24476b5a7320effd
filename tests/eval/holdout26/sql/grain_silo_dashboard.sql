-- silo-api/internal/dashboard/queries.sql
-- Queries behind the farmers' co-op silo dashboard (sqlc). The service is
-- multi-tenant: each co-op sees only its own silos, members and deliveries.
-- silo_readings carries coop_id as well (denormalised for the monthly
-- partitions), so readings can be filtered without joining silos.

-- name: SiloCurrentLevels :many
-- Latest probe reading for each of the co-op's silos.
SELECT DISTINCT ON (s.id)
       s.id, s.label, s.capacity_tonnes, r.fill_tonnes, r.moisture_pct, r.read_at
FROM silos s
JOIN silo_readings r ON r.silo_id = s.id AND r.coop_id = s.coop_id
WHERE s.coop_id = $1
  AND r.read_at > now() - interval '6 hours'
ORDER BY s.id, r.read_at DESC;

-- name: SiloReadingHistory :many
-- Chart on the silo detail page: hourly averages over the chosen window.
SELECT date_trunc('hour', r.read_at) AS hour,
       avg(r.fill_tonnes)  AS fill_tonnes,
       max(r.temp_c)       AS max_temp_c
FROM silo_readings r
WHERE r.coop_id = $1
  AND r.silo_id = $2
  AND r.read_at >= $3 AND r.read_at < $4
GROUP BY 1
ORDER BY 1
LIMIT 744;

-- name: MemberIntakeLeague :many
-- Header tile on the dashboard home page (loaded every time a member opens
-- the dashboard): each member's intake across the last three harvests.
SELECT m.member_no, m.farm_name,
       count(d.id)                                         AS deliveries,
       sum(d.net_tonnes)                                   AS total_tonnes,
       avg(d.moisture_pct)                                 AS avg_moisture,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d.test_weight_kg_hl) AS median_test_weight,
       sum(d.net_tonnes) FILTER (WHERE d.grade = 'milling') AS milling_tonnes,
       rank() OVER (ORDER BY sum(d.net_tonnes) DESC)       AS league_position
FROM deliveries d
JOIN members m ON m.id = d.member_id
JOIN silos s ON s.id = d.silo_id
WHERE s.coop_id = $1
  AND d.delivered_at >= date_trunc('year', now()) - interval '3 years'
GROUP BY m.member_no, m.farm_name
ORDER BY total_tonnes DESC
LIMIT 100;

-- name: MoistureAlerts :many
-- Alert strip: readings over the safe-storage moisture threshold today.
SELECT r.silo_id, r.moisture_pct, r.temp_c, r.read_at
FROM silo_readings r
WHERE r.moisture_pct > 14.5
  AND r.read_at > now() - interval '24 hours'
ORDER BY r.read_at DESC
LIMIT 50;

-- name: RecordDelivery :one
INSERT INTO deliveries (coop_id, member_id, silo_id, net_tonnes, moisture_pct, test_weight_kg_hl, grade, delivered_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, now())
RETURNING id;
