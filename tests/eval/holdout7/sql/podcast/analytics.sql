-- queries/analytics.sql: sqlc input for internal/db (podcast hosting API).
-- Every show, episode and download row carries account_id; all account-facing
-- queries are scoped by it.
--
-- downloads: one row per RSS/app download, ~40M rows/month.
-- episode_downloads_daily: rollup written by the nightly aggregation job.

-- name: ListShows :many
SELECT id, account_id, title, slug, created_at
FROM shows
WHERE account_id = $1
ORDER BY created_at DESC
LIMIT $2 OFFSET $3;

-- name: ListEpisodes :many
SELECT id, show_id, title, audio_url, duration_seconds, published_at
FROM episodes
WHERE show_id = $1 AND account_id = $2
ORDER BY published_at DESC
LIMIT $3;

-- name: GetEpisode :one
SELECT e.id, e.show_id, e.title, e.description, e.audio_url, e.duration_seconds, e.published_at
FROM episodes e
WHERE e.id = $1;

-- name: UpdateEpisodeTitle :exec
UPDATE episodes
SET title = $3, updated_at = now()
WHERE id = $1 AND account_id = $2;

-- name: DeleteEpisode :exec
DELETE FROM episodes
WHERE id = $1 AND account_id = $2;

-- name: ShowOverview :one
-- Backs GET /v1/shows/{id}/overview, which the dashboard loads every time a
-- creator opens their show page.
SELECT count(*)                                                          AS total_downloads,
       count(DISTINCT d.listener_hash)                                   AS unique_listeners,
       count(*) FILTER (WHERE d.downloaded_at > now() - interval '7 days')  AS downloads_7d,
       count(*) FILTER (WHERE d.downloaded_at > now() - interval '30 days') AS downloads_30d,
       count(DISTINCT d.country)                                         AS countries
FROM downloads d
JOIN episodes e ON e.id = d.episode_id
WHERE e.show_id = $1
  AND d.account_id = $2;

-- name: TopEpisodes :many
-- Reads the daily rollup, not the raw downloads table.
SELECT r.episode_id, e.title, sum(r.downloads)::bigint AS downloads
FROM episode_downloads_daily r
JOIN episodes e ON e.id = r.episode_id
WHERE r.show_id = $1
  AND r.account_id = $2
  AND r.day >= current_date - 30
GROUP BY r.episode_id, e.title
ORDER BY downloads DESC
LIMIT 10;

-- name: RecordDownload :exec
INSERT INTO downloads (account_id, episode_id, listener_hash, country, user_agent, downloaded_at)
VALUES ($1, $2, $3, $4, $5, now());
