-- Bell foundry casting queue (PostgreSQL 15).
-- Orders from parishes and carillon owners come in through the portal; the
-- furnace planner picks the next mould that is ready to pour.

CREATE TABLE casting_orders (
    id            bigserial PRIMARY KEY,
    foundry_id    bigint      NOT NULL REFERENCES foundries (id),
    client_ref    text        NOT NULL,   -- the portal's submission id, sent on every retry
    parish_name   text        NOT NULL,
    bell_note     text        NOT NULL,
    weight_kg     numeric(8,1) NOT NULL CHECK (weight_kg > 0),
    alloy         text        NOT NULL DEFAULT 'bell-metal-77-23',
    status        text        NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'moulding', 'ready', 'pouring', 'cast', 'cancelled')),
    furnace_id    int,
    claimed_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (foundry_id, client_ref)
);

CREATE INDEX casting_orders_ready
    ON casting_orders (foundry_id, created_at)
    WHERE status = 'ready';

-- Submitting the same portal order twice returns the original row.
CREATE OR REPLACE FUNCTION submit_casting_order(
    p_foundry_id bigint, p_client_ref text, p_parish text, p_note text, p_weight numeric
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO casting_orders (foundry_id, client_ref, parish_name, bell_note, weight_kg)
    VALUES (p_foundry_id, p_client_ref, p_parish, p_note, p_weight)
    ON CONFLICT (foundry_id, client_ref) DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        SELECT id INTO v_id
        FROM casting_orders
        WHERE foundry_id = p_foundry_id AND client_ref = p_client_ref;
    END IF;
    RETURN v_id;
END;
$$;

-- Each furnace crew claims the oldest ready mould. SKIP LOCKED lets two
-- furnaces claim at the same moment without ever getting the same bell.
CREATE OR REPLACE FUNCTION claim_next_pour(p_foundry_id bigint, p_furnace_id int)
RETURNS casting_orders
LANGUAGE plpgsql AS $$
DECLARE
    v_order casting_orders;
BEGIN
    SELECT * INTO v_order
    FROM casting_orders
    WHERE foundry_id = p_foundry_id AND status = 'ready'
    ORDER BY created_at
    FOR UPDATE SKIP LOCKED
    LIMIT 1;

    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    UPDATE casting_orders
    SET status = 'pouring', furnace_id = p_furnace_id, claimed_at = now()
    WHERE id = v_order.id
    RETURNING * INTO v_order;

    RETURN v_order;
END;
$$;

-- Metal needed for the day's pours, shown on the furnace planner screen.
-- Limited to what is ready today, so it reads a handful of rows.
CREATE OR REPLACE VIEW todays_pour_plan AS
SELECT foundry_id,
       alloy,
       count(*)        AS bells,
       sum(weight_kg)  AS metal_kg
FROM casting_orders
WHERE status IN ('ready', 'pouring')
GROUP BY foundry_id, alloy;
