-- Firewood co-op admin dashboard (PostgreSQL 15)
-- These are the statements the /admin/dashboard page runs when a co-op
-- coordinator opens it. Several village co-ops share the database; every table
-- carries cooperative_id. Parameters are bound by the app as :coop_id etc.

-- Card 1: open orders waiting for a delivery slot (small, indexed)
SELECT o.id, h.name, h.village, o.loads, o.requested_for
  FROM firewood_orders o
  JOIN households h ON h.id = o.household_id AND h.cooperative_id = o.cooperative_id
 WHERE o.cooperative_id = :coop_id
   AND o.status = 'awaiting_slot'
 ORDER BY o.requested_for
 LIMIT 25;

-- Card 2: season at a glance — loads, volume and moisture by village and week,
-- plus each village's running share of the co-op's total since records began.
SELECT h.village, date_trunc('week', d.delivered_at) AS week, count(*) AS drops, sum(d.loads) AS loads, avg(d.moisture_pct) AS avg_moisture, percentile_cont(0.9) WITHIN GROUP (ORDER BY d.moisture_pct) AS p90_moisture, sum(sum(d.loads)) OVER (PARTITION BY h.village ORDER BY date_trunc('week', d.delivered_at)) AS running_loads
  FROM deliveries d
  JOIN households h ON h.id = d.household_id
  JOIN firewood_orders o ON o.id = d.order_id
  LEFT JOIN kiln_batches k ON k.id = d.kiln_batch_id
 WHERE d.cooperative_id = :coop_id
 GROUP BY h.village, date_trunc('week', d.delivered_at)
 ORDER BY week DESC, h.village;

-- Card 3: kiln batches still drying, with hours remaining
SELECT k.id, k.species, k.loaded_at,
       k.target_hours - extract(epoch FROM now() - k.loaded_at) / 3600 AS hours_left
  FROM kiln_batches k
 WHERE k.cooperative_id = :coop_id
   AND k.unloaded_at IS NULL
 ORDER BY k.loaded_at
 LIMIT 10;

-- Card 4: households with the most undelivered prepaid loads (reminder calls)
SELECT h.id, h.name, h.phone, h.prepaid_loads FROM households h
 WHERE h.prepaid_loads > 0
   AND h.last_delivery_at < now() - interval '90 days'
 ORDER BY h.prepaid_loads DESC
 LIMIT 20;

-- Card 5: driver hours this month
SELECT dr.name, sum(s.hours) AS hours
  FROM driver_shifts s
  JOIN drivers dr ON dr.id = s.driver_id AND dr.cooperative_id = s.cooperative_id
 WHERE s.cooperative_id = :coop_id
   AND s.shift_date >= date_trunc('month', now())
 GROUP BY dr.name
 ORDER BY hours DESC;
