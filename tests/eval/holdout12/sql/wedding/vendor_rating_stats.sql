-- Vendor rating stats for the storefront home page ("Top photographers in Tuscany" etc.).
-- The aggregate over reviews is computed into a materialized view every 15 minutes;
-- request-time queries (GetTopVendors below) only read the view.

CREATE MATERIALIZED VIEW vendor_rating_stats AS
SELECT v.storefront_id,
       v.id                                   AS vendor_id,
       v.category_id,
       v.region_code,
       count(r.id)                            AS review_count,
       round(avg(r.stars)::numeric, 2)        AS avg_stars,
       count(r.id) FILTER (WHERE r.created_at > now() - interval '90 days') AS recent_reviews,
       max(r.created_at)                      AS last_review_at
FROM vendors v
LEFT JOIN reviews r
       ON r.vendor_id = v.id
      AND r.storefront_id = v.storefront_id
      AND r.status = 'published'
WHERE v.status = 'active'
GROUP BY v.storefront_id, v.id, v.category_id, v.region_code
WITH DATA;

-- unique index is required for REFRESH ... CONCURRENTLY
CREATE UNIQUE INDEX vendor_rating_stats_vendor ON vendor_rating_stats (vendor_id);
CREATE INDEX vendor_rating_stats_browse
    ON vendor_rating_stats (storefront_id, category_id, region_code, avg_stars DESC);

SELECT cron.schedule(
    'refresh-vendor-rating-stats',
    '*/15 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY vendor_rating_stats$$
);

-- name: GetTopVendors :many
SELECT s.vendor_id, v.name, v.slug, v.cover_image_url, s.avg_stars, s.review_count
FROM vendor_rating_stats s
JOIN vendors v ON v.id = s.vendor_id AND v.storefront_id = s.storefront_id
WHERE s.storefront_id = $1
  AND s.category_id = $2
  AND s.region_code = $3
  AND s.review_count >= 3
ORDER BY s.avg_stars DESC, s.review_count DESC
LIMIT 12;

-- name: ListVendorReviews :many
-- keyset pagination: pass the (created_at, id) of the last review on the previous page
SELECT id, author_display_name, stars, body, created_at
FROM reviews
WHERE storefront_id = @storefront_id
  AND vendor_id = @vendor_id
  AND status = 'published'
  AND (created_at, id) < (@before_created_at::timestamptz, @before_id::bigint)
ORDER BY created_at DESC, id DESC
LIMIT 20;
