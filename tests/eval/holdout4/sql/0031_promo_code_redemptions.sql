-- 0031_promo_code_redemptions.sql
-- Promo codes for plan upgrades. A code has a global redemption cap and can be
-- redeemed at most once per workspace.

CREATE TABLE promo_codes (
    id                bigserial PRIMARY KEY,
    code              citext      NOT NULL UNIQUE,
    percent_off       smallint    NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    max_redemptions   int         NOT NULL,
    redeemed_count    int         NOT NULL DEFAULT 0,
    valid_until       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT promo_codes_cap CHECK (redeemed_count <= max_redemptions)
);

CREATE TABLE promo_code_redemptions (
    id              bigserial PRIMARY KEY,
    promo_code_id   bigint      NOT NULL REFERENCES promo_codes (id),
    workspace_id    bigint      NOT NULL REFERENCES workspaces (id),
    subscription_id bigint      NOT NULL REFERENCES subscriptions (id),
    redeemed_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT promo_code_redemptions_once UNIQUE (promo_code_id, workspace_id)
);

-- Returns the percent off, or raises:
--   PC001 code unknown, expired or fully used
--   PC002 already redeemed by this workspace
CREATE OR REPLACE FUNCTION redeem_promo_code(p_code text, p_workspace_id bigint, p_subscription_id bigint)
RETURNS smallint
LANGUAGE plpgsql AS $$
DECLARE
    v_promo_id    bigint;
    v_percent_off smallint;
    v_inserted    int;
BEGIN
    -- Claim one redemption slot atomically; the row lock is held until commit.
    UPDATE promo_codes
       SET redeemed_count = redeemed_count + 1
     WHERE code = p_code
       AND redeemed_count < max_redemptions
       AND (valid_until IS NULL OR valid_until > now())
    RETURNING id, percent_off INTO v_promo_id, v_percent_off;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'promo code % is not redeemable', p_code USING ERRCODE = 'PC001';
    END IF;

    INSERT INTO promo_code_redemptions (promo_code_id, workspace_id, subscription_id)
    VALUES (v_promo_id, p_workspace_id, p_subscription_id)
    ON CONFLICT ON CONSTRAINT promo_code_redemptions_once DO NOTHING;

    GET DIAGNOSTICS v_inserted = ROW_COUNT;
    IF v_inserted = 0 THEN
        -- Raising aborts the statement, which also undoes the increment above.
        RAISE EXCEPTION 'workspace % already used promo code %', p_workspace_id, p_code
            USING ERRCODE = 'PC002';
    END IF;

    RETURN v_percent_off;
END;
$$;

CREATE INDEX promo_code_redemptions_workspace_idx ON promo_code_redemptions (workspace_id);
