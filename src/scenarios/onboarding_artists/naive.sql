-- name: OnboardingArtists :many
-- Called by GET /onboarding/artists on every page load: the artists a new user can follow,
-- most followed first.
SELECT a.id,
       a.name,
       a.image_url,
       a.genre,
       COUNT(f.id) AS follower_count
FROM artists a
LEFT JOIN follows f ON f.artist_id = a.id
WHERE a.active
GROUP BY a.id, a.name, a.image_url, a.genre
ORDER BY follower_count DESC
LIMIT 100;
