-- Weekly learner leaderboard for the course catalogue.
--
-- The aggregation over lesson_completions (~400M rows) is far too heavy to run
-- per page view, so it is materialized and refreshed every 15 minutes by
-- pg_cron. The API only reads the materialized view (see the last query).

CREATE MATERIALIZED VIEW IF NOT EXISTS course_leaderboard_weekly AS
SELECT lc.course_id,
       lc.student_id,
       s.display_name,
       count(*)                          AS lessons_completed,
       sum(lc.quiz_score)                AS quiz_points,
       max(lc.completed_at)              AS last_activity,
       rank() OVER (PARTITION BY lc.course_id
                    ORDER BY sum(lc.quiz_score) DESC, count(*) DESC) AS position
  FROM lesson_completions lc
  JOIN students s ON s.id = lc.student_id
 WHERE lc.completed_at >= date_trunc('week', now())
   AND s.leaderboard_opt_out = false
 GROUP BY lc.course_id, lc.student_id, s.display_name
WITH NO DATA;

-- Needed for REFRESH ... CONCURRENTLY (readers are never blocked).
CREATE UNIQUE INDEX IF NOT EXISTS course_leaderboard_weekly_pk
    ON course_leaderboard_weekly (course_id, student_id);
CREATE INDEX IF NOT EXISTS course_leaderboard_weekly_pos
    ON course_leaderboard_weekly (course_id, position);

REFRESH MATERIALIZED VIEW course_leaderboard_weekly;

SELECT cron.schedule(
    'refresh-course-leaderboard',
    '*/15 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY course_leaderboard_weekly$$
);

-- Query used by GET /courses/:id/leaderboard (top 50 + the caller's own row).
-- $1 = course_id, $2 = student_id
(SELECT position, student_id, display_name, lessons_completed, quiz_points
   FROM course_leaderboard_weekly
  WHERE course_id = $1
  ORDER BY position
  LIMIT 50)
UNION
(SELECT position, student_id, display_name, lessons_completed, quiz_points
   FROM course_leaderboard_weekly
  WHERE course_id = $1 AND student_id = $2)
ORDER BY position;
