-- Bat survey volunteer nights: queries for the county bat group portal.
-- Several county groups share this database; every table carries group_id.
-- Consumed through sqlc (queries/dashboard.sql).

-- name: DashboardHeadline :one
-- Top tiles on the portal home page, shown to every volunteer when they log in.
SELECT count(DISTINCT n.id)                                      AS nights_surveyed,
    count(DISTINCT a.volunteer_id)                               AS volunteers_out,
    count(r.id)                                                  AS recordings,
    count(DISTINCT r.species_code)                               AS species_heard,
    sum(r.pass_count)                                            AS total_passes,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY r.peak_khz)      AS median_peak_khz,
    max(n.survey_date)                                           AS last_survey
FROM survey_nights n
JOIN night_assignments a  ON a.night_id = n.id
LEFT JOIN detector_recordings r ON r.night_id = n.id
WHERE n.group_id = $1;

-- name: UpcomingNights :many
SELECT n.id, n.survey_date, n.site_name, n.sunset_at, n.places_left
FROM survey_nights n
WHERE n.group_id = $1
  AND n.survey_date >= current_date
ORDER BY n.survey_date, n.id
LIMIT 20;

-- name: NightRoster :many
-- Volunteers signed up for one night, for the night leader's checklist.
SELECT v.id, v.display_name, v.mobile, a.role, a.has_detector, a.needs_lift
FROM night_assignments a
JOIN volunteers v ON v.id = a.volunteer_id
WHERE a.night_id = $1
ORDER BY a.role, v.display_name
LIMIT 40;

-- name: SignUpForNight :one
INSERT INTO night_assignments (group_id, night_id, volunteer_id, role, has_detector, needs_lift)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (night_id, volunteer_id) DO NOTHING
RETURNING id;

-- name: SpeciesForNight :many
SELECT r.species_code, s.common_name, sum(r.pass_count) AS passes
FROM detector_recordings r
JOIN bat_species s ON s.code = r.species_code
WHERE r.group_id = $1 AND r.night_id = $2
GROUP BY r.species_code, s.common_name
ORDER BY passes DESC
LIMIT 25;
