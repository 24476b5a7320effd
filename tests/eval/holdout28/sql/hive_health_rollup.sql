-- Migration 0042: hive health rollup for the urban beekeeping co-op.
-- Keepers record inspections from the phone app; the co-op dashboard shows each
-- hive's last inspection, average varroa count and the season's honey total.

ALTER TABLE hives
    ADD COLUMN IF NOT EXISTS last_inspected_at  timestamptz,
    ADD COLUMN IF NOT EXISTS mite_avg_90d       numeric(6, 2),
    ADD COLUMN IF NOT EXISTS honey_kg_season    numeric(7, 2) NOT NULL DEFAULT 0;

CREATE INDEX IF NOT EXISTS inspections_hive_time_idx
    ON inspections (hive_id, inspected_at DESC);

-- Called after an inspection is saved, for the apiary (rooftop) it belongs to.
CREATE OR REPLACE FUNCTION refresh_apiary_health(p_apiary_id bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    h        record;
    v_last   timestamptz;
    v_mites  numeric;
BEGIN
    FOR h IN SELECT id FROM hives WHERE apiary_id = p_apiary_id AND retired_at IS NULL LOOP
        SELECT max(inspected_at), avg(mite_count) INTO v_last, v_mites FROM inspections WHERE hive_id = h.id AND inspected_at > now() - interval '90 days';

        UPDATE hives
           SET last_inspected_at = v_last,
               mite_avg_90d      = v_mites
         WHERE id = h.id;
    END LOOP;
END;
$$;

-- Called by POST /hives/:id/harvests when a keeper logs supers taken off.
CREATE OR REPLACE FUNCTION record_harvest(p_hive_id bigint, p_keeper_id bigint, p_kg numeric)
RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    v_total numeric;
BEGIN
    IF p_kg <= 0 OR p_kg > 60 THEN
        RAISE EXCEPTION 'harvest of % kg is not plausible for one hive', p_kg;
    END IF;

    INSERT INTO harvests (hive_id, keeper_id, kg, harvested_at)
    VALUES (p_hive_id, p_keeper_id, p_kg, now());

    SELECT honey_kg_season INTO v_total FROM hives WHERE id = p_hive_id;

    v_total := coalesce(v_total, 0) + p_kg;

    UPDATE hives SET honey_kg_season = v_total WHERE id = p_hive_id;
    RETURN v_total;
END;
$$;

-- Reset at the start of each season (run by hand by the co-op secretary in March).
CREATE OR REPLACE FUNCTION start_new_season()
RETURNS void
LANGUAGE sql AS $$
    UPDATE hives SET honey_kg_season = 0 WHERE retired_at IS NULL;
$$;
