-- 0057_coupon_redemptions.sql
-- Single-use-per-customer coupons with a global redemption cap.

CREATE TABLE coupons (
    id              bigserial PRIMARY KEY,
    code            text        NOT NULL UNIQUE,
    percent_off     int         NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    max_redemptions int         NOT NULL,
    redemptions     int         NOT NULL DEFAULT 0,
    valid_until     timestamptz,
    CHECK (redemptions <= max_redemptions)
);

CREATE TABLE coupon_redemptions (
    coupon_id   bigint      NOT NULL REFERENCES coupons(id),
    customer_id bigint      NOT NULL REFERENCES customers(id),
    order_id    bigint      NOT NULL REFERENCES orders(id),
    redeemed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (coupon_id, customer_id)
);

-- Redeem a coupon for an order. Returns percent_off, or NULL when the code is
-- unknown, expired, exhausted, or already used by this customer.
-- Safe under concurrency: the unique key stops double use by one customer and
-- the conditional UPDATE stops the global cap from being exceeded.
CREATE OR REPLACE FUNCTION redeem_coupon(p_code text, p_customer_id bigint, p_order_id bigint)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_coupon_id   bigint;
    v_percent_off int;
BEGIN
    SELECT id INTO v_coupon_id FROM coupons WHERE code = p_code;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    INSERT INTO coupon_redemptions (coupon_id, customer_id, order_id)
    VALUES (v_coupon_id, p_customer_id, p_order_id)
    ON CONFLICT (coupon_id, customer_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN NULL;  -- this customer already used it
    END IF;

    UPDATE coupons
       SET redemptions = redemptions + 1
     WHERE id = v_coupon_id
       AND redemptions < max_redemptions
       AND (valid_until IS NULL OR valid_until > now())
    RETURNING percent_off INTO v_percent_off;

    IF NOT FOUND THEN
        -- cap reached or expired: undo the redemption row we just wrote
        DELETE FROM coupon_redemptions WHERE coupon_id = v_coupon_id AND customer_id = p_customer_id;
        RETURN NULL;
    END IF;

    RETURN v_percent_off;
END;
$$;
