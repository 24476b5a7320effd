-- place_truck_order: take an order at a food truck's pickup window.
--
-- * Idempotent: the app sends an Idempotency-Key per checkout tap; a retried
--   request returns the order that was already created.
-- * Stock is decremented in one set-based conditional UPDATE; if any line
--   can't be satisfied the whole call raises and nothing is changed.
-- p_items: [{"item_id": 12, "qty": 2}, ...]  (lines are merged client-side)

CREATE UNIQUE INDEX IF NOT EXISTS orders_truck_idem_key
    ON orders (truck_id, idempotency_key);

CREATE OR REPLACE FUNCTION place_truck_order(
    p_truck_id        bigint,
    p_idempotency_key uuid,
    p_customer_name   text,
    p_items           jsonb
) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_order_id bigint;
    v_updated  int;
BEGIN
    INSERT INTO orders (truck_id, idempotency_key, customer_name, status)
    VALUES (p_truck_id, p_idempotency_key, p_customer_name, 'received')
    ON CONFLICT (truck_id, idempotency_key) DO NOTHING
    RETURNING id INTO v_order_id;

    IF v_order_id IS NULL THEN
        -- replay of a request we already handled
        SELECT id INTO v_order_id
          FROM orders
         WHERE truck_id = p_truck_id AND idempotency_key = p_idempotency_key;
        RETURN v_order_id;
    END IF;

    WITH req AS (
        SELECT x.item_id, x.qty
          FROM jsonb_to_recordset(p_items) AS x(item_id bigint, qty int)
    ), dec AS (
        UPDATE menu_items m
           SET remaining = m.remaining - req.qty
          FROM req
         WHERE m.id = req.item_id
           AND m.truck_id = p_truck_id
           AND m.remaining >= req.qty
        RETURNING m.id
    )
    SELECT count(*) INTO v_updated FROM dec;

    IF v_updated <> jsonb_array_length(p_items) THEN
        RAISE EXCEPTION 'sold out' USING ERRCODE = 'P0001';  -- rolls back the order row too
    END IF;

    INSERT INTO order_lines (order_id, item_id, qty, unit_price_cents)
    SELECT v_order_id, x.item_id, x.qty, m.price_cents
      FROM jsonb_to_recordset(p_items) AS x(item_id bigint, qty int)
      JOIN menu_items m ON m.id = x.item_id AND m.truck_id = p_truck_id;

    RETURN v_order_id;
END;
$$;
