-- Queries for the rock-pool education visits app (sqlc).
-- Each marine education centre is a tenant; rows carry centre_id and the
-- handler passes the signed-in educator's centre as $1 unless noted.

-- name: UpcomingVisits :many
-- Educator home page: next visits for the centre.
SELECT v.id, v.visit_date, v.tide_low_at, s.name AS school, v.pupils, v.shore_zone
  FROM pool_visits v
  JOIN schools s ON s.id = v.school_id AND s.centre_id = v.centre_id
 WHERE v.centre_id = $1
   AND v.visit_date >= current_date
 ORDER BY v.visit_date, v.tide_low_at
 LIMIT 25;

-- name: VisitDetail :one
-- Visit page: /visits/:id (educator must belong to the visit's centre).
SELECT v.id, v.visit_date, v.tide_low_at, v.pupils, v.adults, v.shore_zone,
       v.risk_assessment_url, s.name AS school, s.contact_email, s.contact_phone
  FROM pool_visits v
  JOIN schools s ON s.id = v.school_id
 WHERE v.id = $1;

-- name: RecordSighting :exec
INSERT INTO visit_sightings (centre_id, visit_id, species, count, pool_code, noted_by)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: CentreOverview :one
-- Tiles at the top of the centre dashboard; loaded with every dashboard view.
SELECT count(DISTINCT v.id)                                         AS visits_all_time,
       count(DISTINCT v.school_id)                                  AS schools_all_time,
       sum(v.pupils)                                                AS pupils_all_time,
       count(ss.id)                                                 AS sightings_all_time,
       count(DISTINCT ss.species)                                   AS species_recorded,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ss.count)        AS median_per_sighting,
       (SELECT ss2.species
          FROM visit_sightings ss2
         WHERE ss2.centre_id = $1
         GROUP BY ss2.species
         ORDER BY count(*) DESC
         LIMIT 1)                                                   AS commonest_species
  FROM pool_visits v
  LEFT JOIN visit_sightings ss ON ss.visit_id = v.id AND ss.centre_id = v.centre_id
 WHERE v.centre_id = $1;

-- name: SightingsForVisit :many
SELECT species, count, pool_code, noted_by, created_at
  FROM visit_sightings
 WHERE centre_id = $1 AND visit_id = $2
 ORDER BY created_at
 LIMIT 500;
