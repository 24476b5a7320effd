-- dive_club_app_queries.sql  (MySQL 8, sqlc)
-- Dive-site log app shared by many dive clubs. Every table carries club_id;
-- the API resolves club_id from the member's session before calling these.

-- name: ListClubSites :many
SELECT id, name, region, max_depth_m, entry_type, updated_at
FROM dive_sites
WHERE club_id = ?
ORDER BY name
LIMIT ? OFFSET ?;

-- name: GetSite :one
SELECT id, club_id, name, region, lat, lon, max_depth_m, entry_type, hazards_note
FROM dive_sites
WHERE club_id = ? AND id = ?;

-- name: ListSiteLogs :many
-- Site page "recent dives" tab, newest first.
SELECT l.id, l.diver_id, m.display_name, l.dived_at, l.max_depth_m, l.bottom_min, l.visibility_m, l.water_temp_c
FROM dive_logs l
JOIN members m ON m.id = l.diver_id AND m.club_id = l.club_id
WHERE l.club_id = ? AND l.site_id = ?
ORDER BY l.dived_at DESC
LIMIT 20;

-- name: GetDiveLog :one
-- Dive detail page; also used by the "edit my dive" form.
SELECT id, site_id, diver_id, buddy_id, dived_at, max_depth_m, bottom_min, visibility_m, gas_mix, notes FROM dive_logs WHERE id = ?;

-- name: CreateDiveLog :execlastid
INSERT INTO dive_logs (club_id, site_id, diver_id, buddy_id, dived_at, max_depth_m, bottom_min,
                       visibility_m, water_temp_c, gas_mix, start_bar, end_bar, notes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: UpdateDiveNotes :execrows
UPDATE dive_logs
SET notes = ?, updated_at = NOW()
WHERE club_id = ? AND id = ? AND diver_id = ?;

-- name: ListClubLogbook :many
-- Club logbook page: everyone's dives, newest first, with the site name.
SELECT l.id, l.dived_at, m.display_name, s.name AS site, l.max_depth_m, l.bottom_min, l.visibility_m
FROM dive_logs l
JOIN dive_sites s ON s.id = l.site_id AND s.club_id = l.club_id
JOIN members m ON m.id = l.diver_id AND m.club_id = l.club_id
WHERE l.club_id = ?
ORDER BY l.dived_at DESC;
