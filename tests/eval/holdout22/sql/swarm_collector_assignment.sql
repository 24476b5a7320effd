-- Swarm collection rota for the county beekeeping associations.
-- A new sighting is offered to the nearest on-call collector; collectors can
-- also pull the next unassigned swarm from the app.

-- Next swarm for a collector: oldest unassigned sighting in their association
-- within their travel radius. SKIP LOCKED lets two collectors pull at the same
-- moment without getting the same swarm or waiting on each other.
CREATE OR REPLACE FUNCTION take_next_swarm(p_association_id bigint, p_collector_id bigint)
RETURNS TABLE (report_id bigint, postcode text, height text, reported_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    SELECT r.id INTO v_id
      FROM swarm_reports r
      JOIN collectors c
        ON c.id = p_collector_id
       AND c.association_id = p_association_id
     WHERE r.association_id = p_association_id
       AND r.collector_id IS NULL
       AND r.status = 'open'
       AND ST_DWithin(r.location, c.home_location, c.travel_radius_m)
     ORDER BY r.reported_at
     LIMIT 1
     FOR UPDATE OF r SKIP LOCKED;

    IF v_id IS NULL THEN
        RETURN;
    END IF;

    UPDATE swarm_reports
       SET collector_id = p_collector_id,
           status       = 'assigned',
           assigned_at  = now()
     WHERE id = v_id;

    RETURN QUERY
        SELECT r.id, r.postcode, r.height, r.reported_at
          FROM swarm_reports r
         WHERE r.id = v_id;
END;
$$;

-- Collector marks the swarm as hived; only the assigned collector can do it,
-- and only once.
-- name: MarkHived :one
UPDATE swarm_reports
   SET status = 'hived', hived_at = now()
 WHERE id = $1
   AND association_id = $2
   AND collector_id = $3
   AND status = 'assigned'
RETURNING id;

-- Collector's season tally: increment in place, row created on first swarm.
-- name: BumpSeasonTally :exec
INSERT INTO collector_season_tally (association_id, collector_id, season, swarms)
VALUES ($1, $2, extract(year FROM now())::int, 1)
ON CONFLICT (association_id, collector_id, season)
DO UPDATE SET swarms = collector_season_tally.swarms + 1;

-- name: MyRecentSwarms :many
SELECT id, postcode, status, reported_at, hived_at
  FROM swarm_reports
 WHERE association_id = $1
   AND collector_id = $2
 ORDER BY reported_at DESC
 LIMIT 25;
