-- Queries behind the touring dashboard of the puppet theatre booking app.
-- Several touring companies share the database; every table carries
-- company_id and the app passes the logged-in company as :company_id.

-- name: UpcomingTourDates :many
-- The "next on tour" list on the company home page.
SELECT t.id,
       t.performance_date,
       v.name      AS venue,
       v.town,
       t.show_title,
       t.seats_sold,
       v.capacity
  FROM tour_dates t
  JOIN venues v ON v.id = t.venue_id AND v.company_id = t.company_id
 WHERE t.company_id = :company_id
   AND t.performance_date >= current_date
 ORDER BY t.performance_date
 LIMIT 20;

-- name: TourHeadlineStats :one
-- Headline tiles at the top of the dashboard, loaded every time the
-- dashboard page is opened.
SELECT count(DISTINCT t.id)                                   AS performances,
       count(DISTINCT t.venue_id)                             AS venues,
       sum(s.quantity)                                        AS tickets_sold,
       sum(s.quantity * s.unit_price)                         AS gross_takings,
       avg(f.rating)                                          AS avg_audience_rating,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.sold_at - t.on_sale_at) AS median_time_to_sale
  FROM tour_dates t
  JOIN ticket_sales s    ON s.tour_date_id = t.id
  LEFT JOIN audience_feedback f ON f.tour_date_id = t.id
 WHERE t.company_id = :company_id;

-- name: PuppeteerTravelDays :many
-- Travel days per puppeteer this season, for the rota planner.
SELECT p.id,
       p.full_name,
       count(*) FILTER (WHERE a.kind = 'travel')     AS travel_days,
       count(*) FILTER (WHERE a.kind = 'perform')    AS performing_days
  FROM puppeteers p
  JOIN rota_assignments a ON a.puppeteer_id = p.id
 WHERE a.season = :season
 GROUP BY p.id, p.full_name
 ORDER BY travel_days DESC
 LIMIT 50;

-- name: CancelTourDate :exec
UPDATE tour_dates
   SET status = 'cancelled', cancelled_at = now()
 WHERE id = :tour_date_id
   AND company_id = :company_id
   AND status = 'scheduled';
