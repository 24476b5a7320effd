-- Queries used by the ringing society website (Django, raw SQL via connection.cursor()).
-- Tables: towers, ringers, peals (~410k rows, growing ~9k a year), peal_ringers (~3.6M rows).
-- Each block is loaded by name with queries.load("<name>").

-- name: home_page_stats
-- Shown in the sidebar of every public page: headline numbers and the busiest towers.
SELECT t.id, t.dedication, t.place, t.bells,
       count(DISTINCT p.id)                                    AS peals_all_time,
       count(DISTINCT p.id) FILTER (WHERE p.rung_on >= date_trunc('year', now())) AS peals_this_year,
       count(DISTINCT pr.ringer_id)                            AS distinct_ringers,
       round(avg(p.changes)::numeric, 0)                       AS avg_changes,
       max(p.rung_on)                                          AS last_peal
FROM towers t
JOIN peals p        ON p.tower_id = t.id
JOIN peal_ringers pr ON pr.peal_id = p.id
GROUP BY t.id, t.dedication, t.place, t.bells
ORDER BY peals_all_time DESC
LIMIT 10;

-- name: tower_detail
SELECT t.id, t.dedication, t.place, t.county, t.bells, t.tenor_weight_cwt, t.practice_night
FROM towers t
WHERE t.id = %(tower_id)s;

-- name: recent_peals_for_tower
-- Tower page, first screen; "older" button passes the last rung_on/id seen.
SELECT p.id, p.rung_on, p.method, p.changes, p.composer, p.conductor_name
FROM peals p
WHERE p.tower_id = %(tower_id)s
  AND (p.rung_on, p.id) < (%(before_date)s, %(before_id)s)
ORDER BY p.rung_on DESC, p.id DESC
LIMIT 25;

-- name: ringer_profile_peals
-- Ringer profile page: every peal the ringer has rung in, with tower and bell.
SELECT p.id, p.rung_on, p.method, p.changes, pr.bell, t.place, t.dedication
FROM peal_ringers pr
JOIN peals p  ON p.id = pr.peal_id
JOIN towers t ON t.id = p.tower_id
WHERE pr.ringer_id = %(ringer_id)s
ORDER BY p.rung_on DESC;

-- name: ringer_headline
SELECT r.id, r.display_name, r.home_tower_id, r.first_peal_on
FROM ringers r
WHERE r.id = %(ringer_id)s;

-- name: record_peal_ringer
INSERT INTO peal_ringers (peal_id, ringer_id, bell, is_conductor)
VALUES (%(peal_id)s, %(ringer_id)s, %(bell)s, %(is_conductor)s)
ON CONFLICT (peal_id, bell) DO UPDATE
SET ringer_id = EXCLUDED.ringer_id,
    is_conductor = EXCLUDED.is_conductor;
