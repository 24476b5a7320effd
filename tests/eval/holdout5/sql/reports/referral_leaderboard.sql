-- leaderboard for the referral contest page. we used to run the GROUP BY on
-- every request, moved it to a matview refreshed every 5 min by pg_cron.

CREATE MATERIALIZED VIEW referral_leaderboard AS
SELECT r.campaign_id,
       r.referrer_id                      AS user_id,
       count(*) FILTER (WHERE r.converted) AS conversions,
       rank() OVER (PARTITION BY r.campaign_id ORDER BY count(*) FILTER (WHERE r.converted) DESC) AS position
FROM referrals r
GROUP BY r.campaign_id, r.referrer_id;

CREATE UNIQUE INDEX referral_leaderboard_pk ON referral_leaderboard (campaign_id, user_id);
CREATE INDEX referral_leaderboard_rank ON referral_leaderboard (campaign_id, position);

SELECT cron.schedule('refresh-referral-leaderboard', '*/5 * * * *',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY referral_leaderboard');

-- name: TopReferrers :many   (GET /contests/:id/leaderboard)
SELECT l.position, l.user_id, u.display_name, u.avatar_url, l.conversions
FROM referral_leaderboard l
JOIN users u ON u.id = l.user_id
WHERE l.campaign_id = $1
ORDER BY l.position
LIMIT 100;

-- name: MyPosition :one
SELECT position, conversions FROM referral_leaderboard WHERE campaign_id = $1 AND user_id = $2;
