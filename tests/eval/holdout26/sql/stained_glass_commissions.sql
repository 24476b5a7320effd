-- 20250311_commission_billing.sql
-- Billing helpers for the stained-glass restoration studio app. Each studio
-- (tenant) takes commissions from churches and collectors; the client pays a
-- retainer up front and each completed stage (survey, releading, new glass,
-- reinstallation) is drawn down from it.

CREATE OR REPLACE FUNCTION settle_commission_stage(
    p_studio_id     bigint,
    p_commission_id bigint,
    p_stage         text
) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    v_retainer numeric(12,2);
    v_fee      numeric(12,2);
BEGIN
    SELECT retainer_balance INTO v_retainer FROM commissions WHERE id = p_commission_id AND studio_id = p_studio_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'commission % not found', p_commission_id USING ERRCODE = 'P0002';
    END IF;

    SELECT fee INTO v_fee
    FROM stage_fees
    WHERE studio_id = p_studio_id AND stage = p_stage;

    IF v_retainer < v_fee THEN
        RAISE EXCEPTION 'retainer too low for stage %', p_stage USING ERRCODE = 'P0001';
    END IF;

    UPDATE commissions
    SET retainer_balance = v_retainer - v_fee,
        last_stage       = p_stage,
        updated_at       = now()
    WHERE id = p_commission_id AND studio_id = p_studio_id;

    INSERT INTO commission_ledger (studio_id, commission_id, stage, amount, created_at)
    VALUES (p_studio_id, p_commission_id, p_stage, -v_fee, now());

    RETURN v_retainer - v_fee;
END;
$$;

-- Recomputes the progress bar shown on each open commission's panel list.
-- Called by the nightly job and after a craftsperson ticks off a task.
CREATE OR REPLACE FUNCTION refresh_panel_progress(p_studio_id bigint)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r        record;
    v_done   integer;
    v_total  integer;
    v_count  integer := 0;
BEGIN
    FOR r IN
        SELECT id FROM commission_panels
        WHERE studio_id = p_studio_id AND status <> 'installed'
    LOOP
        SELECT count(*) FILTER (WHERE t.done), count(*) INTO v_done, v_total FROM panel_tasks t WHERE t.panel_id = r.id AND t.studio_id = p_studio_id;

        UPDATE commission_panels
        SET pct_complete = CASE WHEN v_total = 0 THEN 0 ELSE (v_done * 100) / v_total END
        WHERE id = r.id AND studio_id = p_studio_id;

        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END;
$$;

-- Ledger lookups are always per studio and per commission.
CREATE INDEX IF NOT EXISTS commission_ledger_studio_commission_idx
    ON commission_ledger (studio_id, commission_id, created_at DESC);
