-- queries/walk.sql
-- Queries behind the St Cuthbert's Hospice Midnight Walk sponsorship site.
-- Compiled with sqlc; the Go handlers call these by name.
-- Roughly 1,800 walkers and 40k sponsorships a year; sponsorships and
-- gift_aid_declarations are never archived between walks.

-- name: GetWalker :one
SELECT w.id, w.display_name, w.team_id, w.target_pence, w.story, w.photo_url
FROM walkers w
WHERE w.slug = $1 AND w.walk_id = $2;

-- name: RecentSponsorsForWalker :many
-- Shown under the walker's story, newest first.
SELECT s.sponsor_name, s.message, s.amount_pence, s.anonymous, s.created_at
FROM sponsorships s
WHERE s.walker_id = $1 AND s.status = 'paid'
ORDER BY s.created_at DESC
LIMIT 10;

-- name: WalkLeaderboard :many
-- Top fundraisers with gift aid uplift and team rank. Rendered in the
-- sidebar of the home page and of every walker page.
SELECT w.id, w.display_name, SUM(s.amount_pence) AS raised_pence,
       SUM(CASE WHEN g.id IS NOT NULL THEN s.amount_pence / 4 ELSE 0 END) AS gift_aid_pence,
       COUNT(DISTINCT lower(s.sponsor_email)) AS sponsor_count,
       t.name AS team_name,
       RANK() OVER (PARTITION BY w.team_id ORDER BY SUM(s.amount_pence) DESC) AS team_rank,
       ROUND(100.0 * SUM(s.amount_pence) / NULLIF(w.target_pence, 0), 1) AS pct_of_target
FROM walkers w
JOIN sponsorships s ON s.walker_id = w.id AND s.status = 'paid'
LEFT JOIN gift_aid_declarations g
       ON lower(g.sponsor_email) = lower(s.sponsor_email) AND g.valid_from <= s.created_at
LEFT JOIN teams t ON t.id = w.team_id
WHERE w.walk_id = $1
GROUP BY w.id, w.display_name, w.team_id, w.target_pence, t.name
ORDER BY raised_pence DESC
LIMIT 20;

-- name: CreateSponsorship :one
INSERT INTO sponsorships (walker_id, sponsor_name, sponsor_email, message, amount_pence, anonymous, status)
VALUES ($1, $2, $3, $4, $5, $6, 'pending')
RETURNING id;

-- name: MarkSponsorshipPaid :exec
UPDATE sponsorships
SET status = 'paid', paid_at = now(), provider_ref = $2
WHERE id = $1 AND status = 'pending';

-- name: AdminSponsorshipGrid :many
-- Data for the fundraising office's sponsorship grid (sortable client-side).
SELECT s.id, s.created_at, s.sponsor_name, s.sponsor_email, s.amount_pence,
       s.status, s.provider_ref, w.display_name AS walker, w.walk_id
FROM sponsorships s
JOIN walkers w ON w.id = s.walker_id
ORDER BY s.created_at DESC;

-- name: TeamTotals :many
-- Used by the nightly thank-you email job for the teams that walked.
SELECT t.id, t.name, SUM(s.amount_pence) AS raised_pence
FROM teams t
JOIN walkers w ON w.team_id = t.id
JOIN sponsorships s ON s.walker_id = w.id AND s.status = 'paid'
WHERE t.walk_id = $1 AND t.id = ANY($2::bigint[])
GROUP BY t.id, t.name;
