-- Beekeeping association swarm line: members of the public report a swarm,
-- and the dispatcher job hands each open report to the nearest available
-- collector. Several associations share the database (association_id).

CREATE TABLE IF NOT EXISTS swarm_collectors (
    id              bigserial PRIMARY KEY,
    association_id  bigint   NOT NULL,
    name            text     NOT NULL,
    home_point      point    NOT NULL,
    max_active      smallint NOT NULL DEFAULT 3,
    active_callouts smallint NOT NULL DEFAULT 0 CHECK (active_callouts >= 0),
    available       boolean  NOT NULL DEFAULT true
);

CREATE INDEX IF NOT EXISTS swarm_callouts_open_idx
    ON swarm_callouts (association_id, reported_at)
    WHERE status = 'open';

-- claim_next_swarm takes the oldest open report for the association. Two
-- dispatcher workers running at once skip each other's locked rows, and the
-- collector's active count is bumped with a guarded, in-place increment.
CREATE OR REPLACE FUNCTION claim_next_swarm(p_association_id bigint, p_collector_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_callout_id bigint;
BEGIN
    UPDATE swarm_collectors
       SET active_callouts = active_callouts + 1
     WHERE id = p_collector_id
       AND association_id = p_association_id
       AND available
       AND active_callouts < max_active;
    IF NOT FOUND THEN
        RETURN NULL;  -- collector is full or off duty; caller tries the next one
    END IF;

    SELECT id INTO v_callout_id
      FROM swarm_callouts
     WHERE association_id = p_association_id
       AND status = 'open'
     ORDER BY reported_at
     LIMIT 1
       FOR UPDATE SKIP LOCKED;

    IF v_callout_id IS NULL THEN
        -- Nothing to hand out: undo the increment in the same transaction.
        UPDATE swarm_collectors
           SET active_callouts = active_callouts - 1
         WHERE id = p_collector_id AND association_id = p_association_id;
        RETURN NULL;
    END IF;

    UPDATE swarm_callouts
       SET status = 'accepted', collector_id = p_collector_id, accepted_at = now()
     WHERE id = v_callout_id AND association_id = p_association_id;

    RETURN v_callout_id;
END;
$$;

-- Collector marks the swarm as hived (or "turned out to be wasps").
CREATE OR REPLACE FUNCTION finish_swarm(p_association_id bigint, p_callout_id bigint, p_outcome text)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_collector_id bigint;
BEGIN
    UPDATE swarm_callouts
       SET status = p_outcome, finished_at = now()
     WHERE id = p_callout_id
       AND association_id = p_association_id
       AND status = 'accepted'
    RETURNING collector_id INTO v_collector_id;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE swarm_collectors
       SET active_callouts = active_callouts - 1
     WHERE id = v_collector_id AND association_id = p_association_id;
    RETURN true;
END;
$$;
