-- Queries behind the footpath survey dashboard used by the district's parish
-- councils. One database serves every parish; each table carries parish_id
-- and the app binds :parish_id from the signed-in clerk's account.
-- Path codes (FP1, FP2, BR7 ...) are numbered per parish, so 'FP12' exists
-- in most parishes.

-- 1. Open issues tile ------------------------------------------------------
SELECT count(*) FILTER (WHERE r.issue_type = 'obstruction')   AS obstructions,
       count(*) FILTER (WHERE r.issue_type = 'stile_damaged') AS stiles,
       count(*) FILTER (WHERE r.issue_type = 'signpost_missing') AS signposts,
       count(*) FILTER (WHERE r.issue_type = 'overgrown')     AS overgrown
  FROM survey_reports r
 WHERE r.parish_id = :parish_id
   AND r.resolved_at IS NULL;

-- 2. Condition trend chart on the dashboard home page ---------------------
SELECT s.month, count(DISTINCT s.path_code) AS paths_surveyed, sum(s.length_m) FILTER (WHERE s.rn = 1) AS metres_surveyed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.condition_score) AS median_condition,
       avg(s.obstruction_score) AS avg_obstruction,
       avg(avg(s.condition_score)) OVER (ORDER BY s.month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) AS rolling_12m
  FROM (
        SELECT date_trunc('month', r.surveyed_at) AS month,
               f.path_code,
               f.length_m,
               r.condition_score,
               r.obstruction_score,
               row_number() OVER (PARTITION BY r.footpath_id, date_trunc('month', r.surveyed_at)
                                  ORDER BY r.surveyed_at DESC) AS rn
          FROM survey_reports r
          JOIN footpaths f ON f.id = r.footpath_id
         WHERE r.parish_id = :parish_id
       ) s
 GROUP BY s.month
 ORDER BY s.month;

-- 3. Path detail page: latest reports for one path ---------------------------
SELECT r.id,
       r.surveyed_at,
       r.surveyor_name,
       r.issue_type,
       r.condition_score,
       r.notes,
       r.photo_url
  FROM survey_reports r
  JOIN footpaths f ON f.id = r.footpath_id
 WHERE f.path_code = :path_code
 ORDER BY r.surveyed_at DESC
 LIMIT 25;

-- 4. Surveyor leaderboard for the parish newsletter -------------------------
SELECT r.surveyor_name,
       count(*) AS reports
  FROM survey_reports r
 WHERE r.parish_id = :parish_id
   AND r.surveyed_at >= date_trunc('year', now())
 GROUP BY r.surveyor_name
 ORDER BY reports DESC
 LIMIT 10;
