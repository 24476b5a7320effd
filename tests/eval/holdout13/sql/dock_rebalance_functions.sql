-- dock_rebalance_functions.sql
-- Bike-share: moving bikes between docks (van crews) and closing out
-- stale rebalancing tasks. Called from the ops service and the nightly job.

-- Move one bike from its current dock to another dock.
-- Locks both docks in id order so two crews swapping bikes can't deadlock.
CREATE OR REPLACE FUNCTION transfer_bike(p_bike bigint, p_to_dock bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_from_dock bigint;
    v_free      integer;
BEGIN
    SELECT dock_id INTO v_from_dock FROM bikes WHERE id = p_bike FOR UPDATE;
    IF v_from_dock IS NULL THEN
        RAISE EXCEPTION 'bike % is not docked', p_bike;
    END IF;

    PERFORM 1 FROM docks
      WHERE id IN (v_from_dock, p_to_dock)
      ORDER BY id
        FOR UPDATE;

    SELECT capacity - bikes_docked INTO v_free FROM docks WHERE id = p_to_dock;
    IF v_free < 1 THEN
        RAISE EXCEPTION 'dock % is full', p_to_dock;
    END IF;

    UPDATE docks SET bikes_docked = bikes_docked - 1 WHERE id = v_from_dock;
    UPDATE docks SET bikes_docked = bikes_docked + 1 WHERE id = p_to_dock;
    UPDATE bikes SET dock_id = p_to_dock, moved_at = now() WHERE id = p_bike;
END;
$$;


-- Nightly: mark rebalancing tasks that nobody picked up in 6h as expired and
-- archive them. Works in batches of 1000 so it never holds a huge lock set.
CREATE OR REPLACE PROCEDURE expire_rebalance_tasks()
LANGUAGE plpgsql AS $$
DECLARE
    v_batch integer;
BEGIN
    LOOP
        WITH batch AS (
            SELECT id
              FROM rebalance_tasks
             WHERE status = 'open'
               AND created_at < now() - interval '6 hours'
             ORDER BY id
             LIMIT 1000
               FOR UPDATE SKIP LOCKED
        ), moved AS (
            DELETE FROM rebalance_tasks t
             USING batch
             WHERE t.id = batch.id
            RETURNING t.*
        )
        INSERT INTO rebalance_tasks_archive
        SELECT m.*, 'expired', now() FROM moved m;

        GET DIAGNOSTICS v_batch = ROW_COUNT;
        COMMIT;
        EXIT WHEN v_batch < 1000;
    END LOOP;
END;
$$;
