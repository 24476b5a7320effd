-- Queries for the heritage-trust dashboard of the lighthouse tours platform.
-- The platform is shared by ~40 trusts; every table carries trust_id and each
-- query receives the signed-in user's trust as $1 unless noted.
-- Loaded by sqlc; the Next.js dashboard calls these through /api/dashboard/*.

-- name: TodaysTourSlots :many
-- Tours for today at one lighthouse, shown at the top of the dashboard.
SELECT t.id, t.starts_at, t.capacity, t.booked, g.display_name AS guide
FROM tour_slots t
LEFT JOIN guides g ON g.id = t.guide_id AND g.trust_id = t.trust_id
WHERE t.trust_id = $1
  AND t.lighthouse_id = $2
  AND t.starts_at >= date_trunc('day', now())
  AND t.starts_at <  date_trunc('day', now()) + interval '1 day'
ORDER BY t.starts_at
LIMIT 50;

-- name: HeadlineStats :one
-- Tiles at the top of the dashboard home page (visitors, revenue, rating),
-- fetched each time the page is opened.
SELECT count(*)                                    AS visits_all_time,
    count(DISTINCT v.visitor_email)                 AS unique_visitors,
    sum(v.paid_pence)                               AS revenue_pence,
    avg(f.stars)::numeric(3, 2)                     AS avg_rating,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY v.group_size) AS median_group,
    count(*) FILTER (WHERE v.climbed_lantern_room)  AS lantern_climbs
FROM tour_visits v
JOIN tour_slots s        ON s.id = v.slot_id
LEFT JOIN visitor_feedback f ON f.visit_id = v.id
WHERE v.trust_id = $1;

-- name: MonthlyVisitsChart :many
-- Twelve bars for the chart under the tiles; trust_monthly_visits is filled
-- by the nightly rollup job.
SELECT month, visits
FROM trust_monthly_visits
WHERE trust_id = $1
  AND month >= date_trunc('month', now()) - interval '11 months'
ORDER BY month;

-- name: FeedbackDetail :one
-- Opens a single comment from the feedback list in a side panel; $1 is the feedback id.
SELECT id, visit_id, visitor_name, stars, body, created_at FROM visitor_feedback WHERE id = $1;

-- name: LatestFeedback :many
SELECT f.id, f.visitor_name, f.stars, left(f.body, 140) AS excerpt, f.created_at
FROM visitor_feedback f
WHERE f.trust_id = $1
ORDER BY f.created_at DESC
LIMIT 10;

-- name: VisitLog :many
-- "All visits" table on the Visitors tab.
SELECT v.id, v.visited_at, v.visitor_name, v.visitor_email, v.group_size, v.paid_pence, s.lighthouse_id
FROM tour_visits v
JOIN tour_slots s ON s.id = v.slot_id
WHERE v.trust_id = $1
ORDER BY v.visited_at DESC;
