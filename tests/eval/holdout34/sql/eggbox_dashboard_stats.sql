-- 031_subscription_dashboard.sql
-- Egg box subscription platform for smallholdings. Each smallholding is a
-- tenant (farm_id on every table). The farm dashboard used to aggregate
-- deliveries live; it now reads a materialized view refreshed by pg_cron.

CREATE MATERIALIZED VIEW farm_subscription_stats AS
SELECT s.farm_id,
       count(*) FILTER (WHERE s.status = 'active')                 AS active_subscriptions,
       count(*) FILTER (WHERE s.status = 'paused')                 AS paused_subscriptions,
       coalesce(sum(s.boxes_per_delivery) FILTER (WHERE s.status = 'active'), 0) AS boxes_per_round,
       coalesce(sum(d.eggs) FILTER (WHERE d.delivered_on >= current_date - 28), 0)  AS eggs_last_28_days,
       count(DISTINCT d.subscription_id)
             FILTER (WHERE d.status = 'missed' AND d.delivered_on >= current_date - 28) AS missed_last_28_days,
       now() AS refreshed_at
FROM egg_subscriptions s
LEFT JOIN egg_deliveries d ON d.subscription_id = s.id AND d.farm_id = s.farm_id
GROUP BY s.farm_id;

-- Needed for REFRESH ... CONCURRENTLY.
CREATE UNIQUE INDEX farm_subscription_stats_farm_idx ON farm_subscription_stats (farm_id);

SELECT cron.schedule(
    'refresh-farm-subscription-stats',
    '*/15 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY farm_subscription_stats$$
);

CREATE INDEX IF NOT EXISTS egg_subscriptions_farm_id_idx
    ON egg_subscriptions (farm_id, id);

CREATE INDEX IF NOT EXISTS egg_deliveries_farm_round_idx
    ON egg_deliveries (farm_id, delivered_on);

-- name: DashboardStats :one
SELECT active_subscriptions, paused_subscriptions, boxes_per_round,
       eggs_last_28_days, missed_last_28_days, refreshed_at
FROM farm_subscription_stats
WHERE farm_id = $1;

-- name: SubscribersPage :many
-- Keyset pagination: pass the last id of the previous page (0 for the first).
SELECT s.id, c.full_name, c.postcode, s.boxes_per_delivery, s.frequency, s.status
FROM egg_subscriptions s
JOIN customers c ON c.id = s.customer_id AND c.farm_id = s.farm_id
WHERE s.farm_id = $1 AND s.id > $2
ORDER BY s.id
LIMIT 50;

-- name: DeliveryRound :many
-- Drop list for one delivery round, in route order (a round is ~40-120 drops).
SELECT d.id, c.full_name, c.address_line1, c.postcode, d.boxes, d.notes
FROM egg_deliveries d
JOIN egg_subscriptions s ON s.id = d.subscription_id AND s.farm_id = d.farm_id
JOIN customers c ON c.id = s.customer_id AND c.farm_id = d.farm_id
WHERE d.farm_id = $1 AND d.round_id = $2
ORDER BY d.route_position
LIMIT 500;
