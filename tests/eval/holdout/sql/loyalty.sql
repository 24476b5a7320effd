-- Loyalty points (PostgreSQL)

CREATE TABLE loyalty_accounts (
    customer_id bigint PRIMARY KEY,
    points      integer NOT NULL DEFAULT 0
);

CREATE OR REPLACE FUNCTION redeem_points(p_customer bigint, p_points int)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_points integer;
BEGIN
    SELECT points INTO v_points FROM loyalty_accounts WHERE customer_id = p_customer;
    IF v_points < p_points THEN
        RAISE EXCEPTION 'not enough points';
    END IF;
    UPDATE loyalty_accounts SET points = v_points - p_points WHERE customer_id = p_customer;
    RETURN v_points - p_points;
END;
$$;

CREATE OR REPLACE FUNCTION add_points(p_customer bigint, p_points int)
RETURNS integer LANGUAGE sql AS $$
    INSERT INTO loyalty_accounts (customer_id, points) VALUES (p_customer, p_points)
    ON CONFLICT (customer_id) DO UPDATE SET points = loyalty_accounts.points + EXCLUDED.points
    RETURNING points;
$$;
