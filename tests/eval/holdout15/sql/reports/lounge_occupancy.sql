-- Lounge operations dashboard (ops-dashboard service, GET /api/lounges/overview).
-- The overview page auto-refreshes every 15 seconds and is open on the duty
-- manager screens in all 38 lounges, plus HQ.
-- lounge_visits: ~120M rows (5 years), grows ~80k/day.

-- :name lounges_overview
SELECT l.code,
       l.airport,
       l.capacity,
       l.occupancy,
       count(v.id)                                                   AS visits_30d,
       count(v.id) FILTER (WHERE v.entered_at >= date_trunc('day', now())) AS visits_today,
       avg(extract(epoch FROM (v.exited_at - v.entered_at)) / 60)     AS avg_stay_min,
       count(DISTINCT v.member_no)                                    AS unique_members_30d,
       sum(v.guest_count)                                             AS guests_30d,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY v.guest_count)    AS p90_party_size,
       sum(CASE WHEN v.access_type = 'paid_day_pass' THEN v.price_cents ELSE 0 END) / 100.0 AS day_pass_revenue_30d
  FROM lounges l
  LEFT JOIN lounge_visits v
         ON v.lounge_code = l.code
        AND v.entered_at >= now() - interval '30 days'
  LEFT JOIN flights f
         ON f.id = v.flight_id
 GROUP BY l.code, l.airport, l.capacity, l.occupancy
 ORDER BY l.airport, l.code;

-- :name lounge_recent_entries
-- side panel: last 20 admissions for one lounge (uses lounge_visits_code_entered_idx)
SELECT v.entered_at, v.member_no, v.guest_count, v.access_type
  FROM lounge_visits v
 WHERE v.lounge_code = :code
 ORDER BY v.entered_at DESC
 LIMIT 20;
