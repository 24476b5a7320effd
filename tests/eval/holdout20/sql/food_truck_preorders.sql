-- Migration 0017: pre-orders for food truck service windows (PostgreSQL 16).
-- Customers pre-order for a pickup window; each truck caps how many portions
-- of each dish it will prepare per window.

CREATE TABLE window_dishes (
    truck_id        bigint  NOT NULL REFERENCES trucks(id),
    window_id       bigint  NOT NULL REFERENCES service_windows(id),
    dish_id         bigint  NOT NULL REFERENCES dishes(id),
    portions_cap    int     NOT NULL CHECK (portions_cap >= 0),
    portions_left   int     NOT NULL CHECK (portions_left >= 0),
    PRIMARY KEY (truck_id, window_id, dish_id)
);

CREATE TABLE preorders (
    id               bigserial PRIMARY KEY,
    truck_id         bigint      NOT NULL REFERENCES trucks(id),
    window_id        bigint      NOT NULL,
    dish_id          bigint      NOT NULL,
    customer_id      bigint      NOT NULL,
    portions         int         NOT NULL CHECK (portions BETWEEN 1 AND 10),
    idempotency_key  text        NOT NULL,
    status           text        NOT NULL DEFAULT 'placed',
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- The app retries a POST after a flaky mobile connection with the same key.
    CONSTRAINT preorders_idem_uq UNIQUE (truck_id, customer_id, idempotency_key)
);

CREATE INDEX preorders_window_idx ON preorders (truck_id, window_id, status);

-- Places a pre-order exactly once per idempotency key. The portion counter is
-- decremented with a guarded UPDATE, so concurrent orders cannot oversell.
CREATE OR REPLACE FUNCTION place_preorder(
    p_truck_id    bigint,
    p_window_id   bigint,
    p_dish_id     bigint,
    p_customer_id bigint,
    p_portions    int,
    p_idem_key    text
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO preorders (truck_id, window_id, dish_id, customer_id, portions, idempotency_key)
    VALUES (p_truck_id, p_window_id, p_dish_id, p_customer_id, p_portions, p_idem_key)
    ON CONFLICT ON CONSTRAINT preorders_idem_uq DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        -- Same request seen before: hand back the original order.
        SELECT id INTO v_id
        FROM preorders
        WHERE truck_id = p_truck_id AND customer_id = p_customer_id
          AND idempotency_key = p_idem_key;
        RETURN v_id;
    END IF;

    UPDATE window_dishes
       SET portions_left = portions_left - p_portions
     WHERE truck_id = p_truck_id
       AND window_id = p_window_id
       AND dish_id = p_dish_id
       AND portions_left >= p_portions;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'sold out for this window' USING ERRCODE = 'P0001';
    END IF;

    RETURN v_id;
END;
$$;

-- Kitchen screen: orders to prepare for one window, in arrival order.
SELECT p.id, d.name AS dish, p.portions, p.created_at
FROM preorders p
JOIN dishes d ON d.id = p.dish_id
WHERE p.truck_id = $1 AND p.window_id = $2 AND p.status = 'placed'
ORDER BY p.created_at
LIMIT 300;
