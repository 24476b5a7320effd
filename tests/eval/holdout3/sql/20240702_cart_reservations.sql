-- 20240702_cart_reservations.sql
-- Stock reservations for carts in checkout. A reservation holds units for
-- 15 minutes; the reaper below gives expired units back and deletes the rows.

BEGIN;

CREATE TABLE cart_reservations (
    cart_id     uuid        NOT NULL,
    sku         text        NOT NULL REFERENCES inventory (sku),
    quantity    integer     NOT NULL CHECK (quantity > 0),
    reserved_at timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    PRIMARY KEY (cart_id, sku)
);

CREATE INDEX cart_reservations_expires_idx ON cart_reservations (expires_at);

-- Reserve p_qty units of p_sku for a cart. Returns false when not enough stock.
CREATE OR REPLACE FUNCTION reserve_stock(p_cart uuid, p_sku text, p_qty integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE inventory
       SET available = available - p_qty
     WHERE sku = p_sku
       AND available >= p_qty;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO cart_reservations (cart_id, sku, quantity)
    VALUES (p_cart, p_sku, p_qty)
    ON CONFLICT (cart_id, sku) DO UPDATE
        SET quantity   = cart_reservations.quantity + EXCLUDED.quantity,
            expires_at = now() + interval '15 minutes';

    RETURN true;
END;
$$;

-- Returns expired reservations to stock and removes them, set-based.
CREATE OR REPLACE FUNCTION reap_expired_reservations()
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_rows integer;
BEGIN
    WITH expired AS (
        DELETE FROM cart_reservations
         WHERE expires_at < now()
        RETURNING sku, quantity
    ), per_sku AS (
        SELECT sku, sum(quantity) AS qty FROM expired GROUP BY sku
    )
    UPDATE inventory i
       SET available = i.available + p.qty
      FROM per_sku p
     WHERE i.sku = p.sku;

    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END;
$$;

-- pg_cron: run the reaper every minute.
SELECT cron.schedule('reap-cart-reservations', '* * * * *',
                     $$SELECT reap_expired_reservations()$$);

COMMIT;
