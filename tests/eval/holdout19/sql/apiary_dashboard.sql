-- queries/dashboard.sql  (sqlc)
-- Beekeeping association app. Every member org (org_id) sees its own apiaries.
-- Volume today: ~38k hives, ~2.1M hive_inspections, ~600k treatments.
--
-- DashboardSummary runs when a beekeeper opens the home screen; the mobile app
-- also re-fetches it on pull-to-refresh and every time the app is foregrounded.

-- name: DashboardSummary :many
SELECT a.id                                         AS apiary_id,
       a.name                                       AS apiary_name,
       count(DISTINCT h.id)                         AS hives,
       count(i.id)                                  AS inspections_total,
       max(i.inspected_at)                          AS last_inspection,
       avg(i.varroa_per_100)                        AS avg_varroa,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY i.varroa_per_100) AS p90_varroa,
       avg(CASE WHEN i.queen_seen THEN 1 ELSE 0 END) AS queen_seen_rate,
       sum(i.honey_supers_kg)                       AS honey_kg_all_time,
       count(DISTINCT t.id)                         AS treatments,
       sum(CASE WHEN i.inspected_at > now() - interval '14 days' THEN 1 ELSE 0 END) AS inspections_14d
  FROM apiaries a
  JOIN hives h            ON h.apiary_id = a.id
  LEFT JOIN hive_inspections i ON i.hive_id = h.id
  LEFT JOIN treatments t  ON t.hive_id = h.id
 WHERE a.org_id = $1
 GROUP BY a.id, a.name
 ORDER BY a.name;

-- name: RecentInspections :many
SELECT i.id, i.hive_id, h.label, i.inspected_at, i.varroa_per_100, i.queen_seen, i.notes
  FROM hive_inspections i
  JOIN hives h    ON h.id = i.hive_id
  JOIN apiaries a ON a.id = h.apiary_id
 WHERE a.org_id = $1
   AND h.id = $2
 ORDER BY i.inspected_at DESC
 LIMIT 10;

-- name: CreateInspection :one
INSERT INTO hive_inspections (hive_id, inspector_id, inspected_at, varroa_per_100,
                              queen_seen, brood_frames, honey_supers_kg, notes)
SELECT h.id, $3, now(), $4, $5, $6, $7, $8
  FROM hives h
  JOIN apiaries a ON a.id = h.apiary_id
 WHERE h.id = $2 AND a.org_id = $1
RETURNING id;

-- name: HivesDueForInspection :many
SELECT h.id, h.label, a.name AS apiary_name, h.last_inspected_at
  FROM hives h
  JOIN apiaries a ON a.id = h.apiary_id
 WHERE a.org_id = $1
   AND (h.last_inspected_at IS NULL OR h.last_inspected_at < now() - interval '10 days')
 ORDER BY h.last_inspected_at NULLS FIRST
 LIMIT 50;
