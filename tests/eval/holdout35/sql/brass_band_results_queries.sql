-- queries/results.sql
-- Queries behind the public results site for the regional brass band
-- association (one association per database). The API handlers call these
-- directly; there is no caching layer in front of the results pages.

-- name: ContestResults :many
-- Results table for one contest, shown on /contests/:id.
SELECT e.placing, b.name AS band, e.section, e.test_piece, e.conductor, e.points
  FROM contest_entries e
  JOIN bands b ON b.id = e.band_id
 WHERE e.contest_id = $1 AND e.placing IS NOT NULL
 ORDER BY e.placing
 LIMIT 40;

-- name: BandLeagueTable :many
-- The "all-time league" panel on the home page, loaded on every visit.
-- Ranks bands on average placing across every contest since records began,
-- with adjudicator spread and a form score for the last five contests.
WITH per_entry AS (
    SELECT e.band_id,
           e.contest_id,
           c.held_on,
           e.placing,
           count(*) OVER (PARTITION BY e.contest_id)                        AS field_size,
           row_number() OVER (PARTITION BY e.band_id ORDER BY c.held_on DESC) AS recency
      FROM contest_entries e
      JOIN contests c ON c.id = e.contest_id
     WHERE e.placing IS NOT NULL
),
adjudication AS (
    SELECT s.entry_band_id AS band_id,
           stddev_samp(s.marks)                                    AS marks_spread,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.marks)    AS median_marks
      FROM adjudicator_scores s
     GROUP BY s.entry_band_id
)
SELECT b.id,
       b.name,
       count(*)                                                         AS contests,
       avg(p.placing::numeric / p.field_size)                           AS relative_placing,
       avg(p.placing::numeric / p.field_size) FILTER (WHERE p.recency <= 5) AS recent_form,
       sum(CASE WHEN p.placing = 1 THEN 1 ELSE 0 END)                   AS wins,
       a.marks_spread,
       a.median_marks
  FROM per_entry p
  JOIN bands b             ON b.id = p.band_id
  LEFT JOIN adjudication a ON a.band_id = p.band_id
 GROUP BY b.id, b.name, a.marks_spread, a.median_marks
HAVING count(*) >= 3
 ORDER BY relative_placing ASC
 LIMIT 25;

-- name: UpcomingContests :many
SELECT id, title, venue, held_on, sections
  FROM contests
 WHERE held_on >= current_date
 ORDER BY held_on
 LIMIT 10;
