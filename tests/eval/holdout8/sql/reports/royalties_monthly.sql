-- Monthly royalty statement for labels / rights holders.
-- Run by the finance batch job on the 2nd of each month (psql -v month=2024-05-01 -f ...),
-- results are written to royalty_statements and exported to the label portal.
-- Not used by any API endpoint.

\set month_start '''' :month ''''

BEGIN;

-- 1) stream counts per track and country for the month; stream_events is
--    partitioned by month so this only touches one partition.
CREATE TEMP TABLE month_streams ON COMMIT DROP AS
SELECT se.track_id,
       se.country,
       count(*) FILTER (WHERE se.ms_played >= 30000)           AS qualified_streams,
       count(*) FILTER (WHERE se.ms_played >= 30000
                          AND se.subscription_tier = 'premium') AS premium_streams
  FROM stream_events se
 WHERE se.played_at >= :month_start::date
   AND se.played_at <  (:month_start::date + interval '1 month')
 GROUP BY se.track_id, se.country;

CREATE INDEX ON month_streams (track_id);
ANALYZE month_streams;

-- 2) pro-rata share of each country's revenue pool
WITH country_totals AS (
    SELECT country, sum(qualified_streams) AS total_streams
      FROM month_streams
     GROUP BY country
),
track_share AS (
    SELECT ms.track_id,
           ms.country,
           ms.qualified_streams,
           ms.qualified_streams::numeric / nullif(ct.total_streams, 0) AS share
      FROM month_streams ms
      JOIN country_totals ct USING (country)
)
INSERT INTO royalty_statements (month, rights_holder_id, track_id, country,
                                streams, share, amount_cents)
SELECT :month_start::date,
       t.rights_holder_id,
       ts.track_id,
       ts.country,
       ts.qualified_streams,
       ts.share,
       round(ts.share * rp.pool_cents * t.royalty_rate)::bigint
  FROM track_share ts
  JOIN tracks t          ON t.id = ts.track_id
  JOIN revenue_pools rp  ON rp.country = ts.country AND rp.month = :month_start::date
ON CONFLICT (month, track_id, country) DO UPDATE
   SET streams      = EXCLUDED.streams,
       share        = EXCLUDED.share,
       amount_cents = EXCLUDED.amount_cents;

-- 3) summary per rights holder for the finance email
SELECT rh.name,
       count(DISTINCT rs.track_id)  AS tracks,
       sum(rs.streams)              AS streams,
       sum(rs.amount_cents) / 100.0 AS payout_eur
  FROM royalty_statements rs
  JOIN rights_holders rh ON rh.id = rs.rights_holder_id
 WHERE rs.month = :month_start::date
 GROUP BY rh.name
 ORDER BY payout_eur DESC;

COMMIT;
