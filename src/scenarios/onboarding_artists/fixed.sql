-- Nightly job (cron, 2 AM): rank the artists once and store the list the onboarding page shows.
-- The follower counts change slowly; a day-old ranking is good enough.
BEGIN;
DELETE FROM onboarding_artists;
INSERT INTO onboarding_artists (artist_id, name, image_url, genre, follower_count, computed_at)
SELECT a.id, a.name, a.image_url, a.genre, COUNT(f.id), now()
FROM artists a
LEFT JOIN follows f ON f.artist_id = a.id
WHERE a.active
GROUP BY a.id, a.name, a.image_url, a.genre
ORDER BY COUNT(f.id) DESC
LIMIT 100;
COMMIT;

-- name: OnboardingArtists :many
-- Called by GET /onboarding/artists on every page load: reads the 100 precomputed rows.
SELECT artist_id AS id, name, image_url, genre, follower_count
FROM onboarding_artists
ORDER BY follower_count DESC
LIMIT 100;
