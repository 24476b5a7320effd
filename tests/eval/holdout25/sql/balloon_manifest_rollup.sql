-- Operator dashboard for hot-air balloon flights.
-- The monthly figures are precomputed into a materialized view that the
-- scheduler refreshes every 15 minutes; the dashboard only reads the view.

CREATE MATERIALIZED VIEW flight_month_stats AS
SELECT f.operator_id,
       date_trunc('month', f.flight_date)::date      AS month,
       count(DISTINCT f.id)                          AS flights,
       count(mp.id)                                  AS passengers,
       round(avg(f.payload_kg), 1)                   AS avg_payload_kg,
       count(DISTINCT f.id) FILTER (WHERE f.status = 'cancelled_weather')
                                                     AS weather_cancellations
  FROM flights f
  LEFT JOIN manifest_passengers mp ON mp.flight_id = f.id
 GROUP BY f.operator_id, date_trunc('month', f.flight_date);

CREATE UNIQUE INDEX flight_month_stats_pk
    ON flight_month_stats (operator_id, month);

-- Job "refresh-flight-stats" (every 15 min). CONCURRENTLY needs the unique
-- index above and keeps the dashboard readable during the refresh:
--   REFRESH MATERIALIZED VIEW CONCURRENTLY flight_month_stats;

-- name: DashboardMonths :many
-- Last twelve months for the logged-in operator.
SELECT month, flights, passengers, avg_payload_kg, weather_cancellations
  FROM flight_month_stats
 WHERE operator_id = $1
 ORDER BY month DESC
 LIMIT 12;

-- name: TomorrowManifest :many
-- Pilot's printable manifest for one flight (a basket holds at most 16).
SELECT mp.name, mp.weight_kg, mp.seat_zone
  FROM manifest_passengers mp
  JOIN flights f ON f.id = mp.flight_id
 WHERE f.operator_id = $1
   AND f.id = $2
 ORDER BY mp.seat_zone, mp.name
 LIMIT 16;
