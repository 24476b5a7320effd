-- lingo-api/db/queries.sql  (sqlc)
-- lesson_completions: ~420M rows, ~1.5M inserts/day
-- exercise_attempts: ~2.1B rows, partitioned by month

-- name: RecentLessons :many
SELECT l.id, l.title, lc.xp, lc.completed_at
  FROM lesson_completions lc
  JOIN lessons l ON l.id = lc.lesson_id
 WHERE lc.user_id = $1
 ORDER BY lc.completed_at DESC
 LIMIT 20;

-- name: RecordCompletion :exec
INSERT INTO lesson_completions (user_id, lesson_id, course_id, xp, completed_at)
VALUES ($1, $2, $3, $4, now());

-- name: BumpStreak :one
-- +1 if the user's last active day was yesterday, reset to 1 otherwise; no-op if already counted today
UPDATE user_streaks
   SET current_streak = CASE WHEN last_active_on = current_date - 1 THEN current_streak + 1 ELSE 1 END,
       longest_streak = greatest(longest_streak,
                        CASE WHEN last_active_on = current_date - 1 THEN current_streak + 1 ELSE 1 END),
       last_active_on = current_date
 WHERE user_id = $1 AND last_active_on < current_date
RETURNING current_streak;

-- name: CourseLeaderboard :many
-- "Leaderboard" tab in the app; fetched by GET /v1/courses/{id}/leaderboard each time the tab opens.
SELECT u.id, u.display_name, u.avatar_url,
       sum(lc.xp) AS weekly_xp,
       rank() OVER (ORDER BY sum(lc.xp) DESC) AS position
  FROM lesson_completions lc
  JOIN users u ON u.id = lc.user_id
 WHERE lc.course_id = $1
   AND lc.completed_at >= date_trunc('week', now())
 GROUP BY u.id, u.display_name, u.avatar_url
 ORDER BY weekly_xp DESC
 LIMIT 100;

-- name: ListMyAttempts :many
-- GET /v1/me/attempts (review screen shows every past answer)
SELECT id, exercise_id, answer, is_correct, created_at
  FROM exercise_attempts
 WHERE user_id = $1
 ORDER BY created_at DESC;

-- name: GetLesson :one
SELECT id, course_id, title, body_json, xp_reward
  FROM lessons
 WHERE id = $1;
