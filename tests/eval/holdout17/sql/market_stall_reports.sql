-- Farmers-market stall management: report queries used by the organiser portal.
-- Tenancy: each market organisation is a tenant (market_id on stalls,
-- stall_bookings, vendor_sales). produce_categories is a shared, global lookup.

-- Pre-aggregated weekly takings per stall. Refreshed nightly at 02:10 by the
-- scheduler; the dashboard reads only from this view.
CREATE MATERIALIZED VIEW IF NOT EXISTS stall_weekly_takings AS
SELECT s.market_id,
       s.id                                AS stall_id,
       date_trunc('week', v.sold_at)::date AS week,
       count(*)                            AS transactions,
       sum(v.amount_cents)                 AS takings_cents
  FROM stalls s
  JOIN vendor_sales v ON v.stall_id = s.id AND v.market_id = s.market_id
 GROUP BY s.market_id, s.id, date_trunc('week', v.sold_at);

CREATE UNIQUE INDEX IF NOT EXISTS stall_weekly_takings_pk
    ON stall_weekly_takings (market_id, stall_id, week);

-- scheduler job: nightly-takings
-- REFRESH MATERIALIZED VIEW CONCURRENTLY stall_weekly_takings;

-- name: DashboardTakings :many
SELECT stall_id, week, transactions, takings_cents
  FROM stall_weekly_takings
 WHERE market_id = $1
   AND week >= current_date - interval '12 weeks'
 ORDER BY week DESC, takings_cents DESC
 LIMIT 500;

-- name: StallBookingsPage :many
-- keyset pagination over a market's stall bookings
SELECT b.id, b.stall_id, b.vendor_id, b.market_day, b.pitch_no, b.status
  FROM stall_bookings b
 WHERE b.market_id = $1
   AND (b.market_day, b.id) < ($2, $3)
 ORDER BY b.market_day DESC, b.id DESC
 LIMIT 50;

-- name: GetStallBooking :one
SELECT b.id, b.stall_id, b.vendor_id, b.market_day, b.pitch_no, b.status
  FROM stall_bookings b
 WHERE b.market_id = $1
   AND b.id = $2;

-- name: GetProduceCategory :one
SELECT id, name, needs_cold_chain
  FROM produce_categories
 WHERE id = $1;

-- name: VendorsForBookings :many
-- vendor cards for one page of bookings, fetched in a single round trip
SELECT v.id, v.business_name, v.phone, v.organic_certified
  FROM vendors v
 WHERE v.market_id = $1
   AND v.id = ANY($2::bigint[]);

-- name: CancelStallBooking :execrows
UPDATE stall_bookings
   SET status = 'cancelled', cancelled_at = now()
 WHERE market_id = $1
   AND id = $2
   AND status = 'confirmed';
