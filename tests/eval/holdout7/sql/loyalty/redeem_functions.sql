-- Loyalty program: redemption and member activity functions.
-- The rewards service calls these directly:
--   SELECT * FROM redeem_reward($1, $2, $3);
--   SELECT * FROM member_activity($1);
-- rewards-service runs 6 pods against this database.

CREATE OR REPLACE FUNCTION redeem_reward(
    p_member_id  bigint,
    p_reward_id  bigint,
    p_request_id uuid
) RETURNS TABLE (redemption_id bigint, remaining_points bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_cost    bigint;
    v_balance bigint;
    v_id      bigint;
BEGIN
    -- Client retries reuse request_id (UNIQUE); return the original result.
    SELECT r.id INTO v_id FROM redemptions r WHERE r.request_id = p_request_id;
    IF FOUND THEN
        RETURN QUERY SELECT v_id, a.points FROM loyalty_accounts a WHERE a.member_id = p_member_id;
        RETURN;
    END IF;

    SELECT points_cost INTO v_cost
      FROM rewards
     WHERE id = p_reward_id AND active;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reward % is not available', p_reward_id USING ERRCODE = 'P0002';
    END IF;

    SELECT points INTO v_balance
      FROM loyalty_accounts
     WHERE member_id = p_member_id;

    IF v_balance IS NULL OR v_balance < v_cost THEN
        RAISE EXCEPTION 'insufficient points' USING ERRCODE = 'P0001';
    END IF;

    UPDATE loyalty_accounts
       SET points = v_balance - v_cost,
           updated_at = now()
     WHERE member_id = p_member_id;

    INSERT INTO redemptions (member_id, reward_id, request_id, points)
    VALUES (p_member_id, p_reward_id, p_request_id, v_cost)
    RETURNING id INTO v_id;

    INSERT INTO points_ledger (member_id, kind, points, description)
    VALUES (p_member_id, 'redeem', -v_cost, 'Reward #' || p_reward_id);

    RETURN QUERY SELECT v_id, v_balance - v_cost;
END;
$$;

-- Catalog shown on the rewards screen (a few dozen rows, curated by marketing).
CREATE OR REPLACE FUNCTION active_rewards()
RETURNS SETOF rewards
LANGUAGE sql STABLE AS $$
    SELECT * FROM rewards WHERE active ORDER BY points_cost;
$$;

-- Backs the "Activity" tab in the mobile app.
CREATE OR REPLACE FUNCTION member_activity(p_member_id bigint)
RETURNS TABLE (created_at timestamptz, kind text, points bigint, description text)
LANGUAGE sql STABLE AS $$
    SELECT l.created_at, l.kind, l.points, l.description
      FROM points_ledger l
     WHERE l.member_id = p_member_id
     ORDER BY l.created_at DESC;
$$;
