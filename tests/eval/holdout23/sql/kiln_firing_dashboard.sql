-- KilnBook dashboard queries (multi-studio SaaS).
-- Every table carries studio_id; :studio_id is bound from the signed-in
-- potter's session by the query layer (yesql-style named queries).

-- name: studio-overview
-- The summary cards at the top of the studio dashboard; the page loads this
-- every time a potter opens the app or switches tab.
SELECT k.name                                                  AS kiln,
       count(f.id)                                             AS firings,
       round(avg(f.peak_temp_c))                               AS avg_peak_c,
       percentile_cont(0.9) WITHIN GROUP (
           ORDER BY extract(epoch FROM f.ended_at - f.started_at)) AS p90_duration_s,
       sum(rd.kwh)                                             AS energy_kwh,
       sum(pc.cracked)                                         AS cracked_pieces,
       sum(pc.total)                                           AS total_pieces
  FROM firings f
  JOIN kilns k ON k.id = f.kiln_id
  LEFT JOIN LATERAL (
        SELECT sum(r.watts) * 30 / 3600000.0 AS kwh          -- one reading every 30 s
          FROM firing_readings r
         WHERE r.firing_id = f.id
       ) rd ON true
  LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE p.outcome = 'cracked') AS cracked,
               count(*)                                      AS total
          FROM pieces p
         WHERE p.firing_id = f.id
       ) pc ON true
 WHERE f.studio_id = :studio_id
 GROUP BY k.name
 ORDER BY firings DESC
 LIMIT 20;

-- name: recent-firings
SELECT f.id, k.name AS kiln, f.program, f.cone, f.started_at, f.ended_at, f.peak_temp_c
  FROM firings f
  JOIN kilns k ON k.id = f.kiln_id
 WHERE f.studio_id = :studio_id
 ORDER BY f.started_at DESC
 LIMIT 25;

-- name: firing-detail
-- Opened from the recent firings list and from shared links in the studio chat.
SELECT id, kiln_id, program, cone, started_at, ended_at, peak_temp_c, notes, loaded_by FROM firings WHERE id = :firing_id;

-- name: firing-curve
-- Temperature curve for the chart on the firing detail page.
SELECT r.recorded_at, r.temp_c, r.setpoint_c
  FROM firing_readings r
  JOIN firings f ON f.id = r.firing_id
 WHERE r.firing_id = :firing_id
   AND f.studio_id = :studio_id
 ORDER BY r.recorded_at
 LIMIT 3000;

-- name: pieces-in-firing
SELECT p.id, p.maker, p.clay_body, p.glaze, p.outcome
  FROM pieces p
  JOIN firings f ON f.id = p.firing_id
 WHERE p.firing_id = :firing_id
   AND f.studio_id = :studio_id
 ORDER BY p.maker, p.id
 LIMIT 200;

-- name: log-firing!
INSERT INTO firings (studio_id, kiln_id, program, cone, started_at, loaded_by)
VALUES (:studio_id, :kiln_id, :program, :cone, now(), :user_id);
