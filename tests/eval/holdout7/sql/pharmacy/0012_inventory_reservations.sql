-- 0012_inventory_reservations.sql
-- Stock is reserved at checkout and released automatically if the order is
-- not paid within 15 minutes. Requires the pg_cron extension (enabled in 0001).

BEGIN;

CREATE TABLE inventory (
    pharmacy_id bigint      NOT NULL REFERENCES pharmacies (id),
    sku         text        NOT NULL,
    on_hand     integer     NOT NULL CHECK (on_hand >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pharmacy_id, sku)
);

CREATE TABLE stock_reservations (
    id          bigserial   PRIMARY KEY,
    pharmacy_id bigint      NOT NULL,
    order_id    bigint      NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku         text        NOT NULL,
    qty         integer     NOT NULL CHECK (qty > 0),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    UNIQUE (order_id, sku),
    FOREIGN KEY (pharmacy_id, sku) REFERENCES inventory (pharmacy_id, sku)
);

CREATE INDEX stock_reservations_expires_idx ON stock_reservations (expires_at);

-- Reserve p_qty units. The conditional UPDATE is the availability check, so
-- two checkouts racing for the last box cannot both succeed.
CREATE OR REPLACE FUNCTION reserve_stock(p_pharmacy_id bigint, p_order_id bigint, p_sku text, p_qty integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_rows integer;
BEGIN
    UPDATE inventory
       SET on_hand = on_hand - p_qty,
           updated_at = now()
     WHERE pharmacy_id = p_pharmacy_id
       AND sku = p_sku
       AND on_hand >= p_qty;
    GET DIAGNOSTICS v_rows = ROW_COUNT;

    IF v_rows = 0 THEN
        RETURN false;
    END IF;

    INSERT INTO stock_reservations (pharmacy_id, order_id, sku, qty)
    VALUES (p_pharmacy_id, p_order_id, p_sku, p_qty);
    RETURN true;
END;
$$;

-- Paid orders keep their stock: the payment handler deletes their reservations.
-- Everything still here after expires_at goes back on the shelf.
CREATE OR REPLACE FUNCTION release_expired_reservations()
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_released integer;
BEGIN
    WITH expired AS (
        DELETE FROM stock_reservations
         WHERE expires_at < now()
        RETURNING pharmacy_id, sku, qty
    ), totals AS (
        SELECT pharmacy_id, sku, sum(qty) AS qty
          FROM expired
         GROUP BY pharmacy_id, sku
    )
    UPDATE inventory i
       SET on_hand = i.on_hand + t.qty,
           updated_at = now()
      FROM totals t
     WHERE i.pharmacy_id = t.pharmacy_id AND i.sku = t.sku;
    GET DIAGNOSTICS v_released = ROW_COUNT;
    RETURN v_released;
END;
$$;

SELECT cron.schedule(
    'release-expired-stock',
    '* * * * *',
    $$SELECT release_expired_reservations()$$
);

COMMIT;
