-- db/queries/routes.sql  (sqlc)
-- SetterBoard: route-setting app used by independent climbing walls.
-- One database, gym_id on every table; the API passes the caller's gym_id
-- from the JWT into every query.

-- name: CreateRoute :one
INSERT INTO routes (gym_id, wall_id, setter_id, grade, colour, hold_set, set_on)
VALUES ($1, $2, $3, $4, $5, $6, current_date)
RETURNING *;

-- name: ListActiveRoutesOnWall :many
-- The wall map in the members' app.
SELECT id, grade, colour, setter_id, set_on
  FROM routes
 WHERE gym_id = $1
   AND wall_id = $2
   AND stripped_on IS NULL
 ORDER BY set_on DESC
 LIMIT 60;

-- name: StripWall :exec
-- Reset day: everything on the wall comes down before the new set goes up.
UPDATE routes
   SET stripped_on = current_date
 WHERE gym_id = $1
   AND wall_id = $2
   AND stripped_on IS NULL;

-- name: LogAscent :one
INSERT INTO ascents (gym_id, route_id, member_id, style, climbed_at)
VALUES ($1, $2, $3, $4, now())
ON CONFLICT (route_id, member_id, style) DO NOTHING
RETURNING id;

-- name: SetterHistory :many
-- Setter profile page: every route this setter has ever put up, with ascent counts.
SELECT r.id, r.grade, r.colour, r.set_on, r.stripped_on,
       count(a.id) AS ascents
  FROM routes r
  LEFT JOIN ascents a ON a.route_id = r.id
 WHERE r.gym_id = $1
   AND r.setter_id = $2
 GROUP BY r.id
 ORDER BY r.set_on DESC;

-- name: GradeFeedback :many
-- "Feels soft / feels hard" votes for the head setter's review screen.
SELECT f.route_id, f.vote, count(*) AS votes
  FROM grade_feedback f
  JOIN routes r ON r.id = f.route_id
 WHERE r.wall_id = $1
   AND r.stripped_on IS NULL
 GROUP BY f.route_id, f.vote;

-- name: GetRouteForEdit :one
SELECT id, gym_id, wall_id, grade, colour, hold_set, notes
  FROM routes
 WHERE gym_id = $1 AND id = $2;

-- name: UpdateRouteGrade :exec
UPDATE routes
   SET grade = $3, regraded_at = now()
 WHERE gym_id = $1 AND id = $2;
