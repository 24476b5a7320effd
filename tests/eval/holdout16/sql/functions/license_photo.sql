-- license_photo(account, photo, tier)
-- Spends prepaid credits on a stock-photo license and records the license.
-- Called by the checkout API:  SELECT license_photo($1, $2, $3);
-- Returns the new license id, or NULL if the purchase could not be made.

CREATE OR REPLACE FUNCTION license_photo(
    p_account_id bigint,
    p_photo_id   bigint,
    p_tier       text          -- 'web', 'print', 'extended'
) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_credits    integer;
    v_cost       integer;
    v_license_id bigint;
BEGIN
    SELECT credit_cost INTO v_cost
      FROM photo_prices
     WHERE photo_id = p_photo_id AND tier = p_tier;

    IF v_cost IS NULL THEN
        RAISE EXCEPTION 'no % price for photo %', p_tier, p_photo_id;
    END IF;

    SELECT credits INTO v_credits
      FROM accounts
     WHERE id = p_account_id;

    IF v_credits < v_cost THEN
        RAISE EXCEPTION 'insufficient credits: have %, need %', v_credits, v_cost;
    END IF;

    UPDATE accounts
       SET credits    = v_credits - v_cost,
           updated_at = now()
     WHERE id = p_account_id;

    INSERT INTO licenses (account_id, photo_id, tier, credits_spent, issued_at)
    VALUES (p_account_id, p_photo_id, p_tier, v_cost, now())
    RETURNING id INTO v_license_id;

    INSERT INTO contributor_earnings (photo_id, license_id, credits)
    SELECT p_photo_id, v_license_id, (v_cost * royalty_pct) / 100
      FROM photos WHERE id = p_photo_id;

    RETURN v_license_id;
EXCEPTION
    WHEN others THEN
        RETURN NULL;
END;
$$;
