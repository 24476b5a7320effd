-- Migration 0042: visitor mooring allocation for the harbour office app.
-- Called from the dockmaster's tablet and from the online pre-arrival form.

CREATE TABLE IF NOT EXISTS visitor_stays (
    id            bigserial PRIMARY KEY,
    harbour_id    bigint      NOT NULL REFERENCES harbours(id),
    mooring_id    bigint      NOT NULL REFERENCES moorings(id),
    vessel_name   text        NOT NULL,
    length_m      numeric(5,2) NOT NULL,
    nights        int         NOT NULL CHECK (nights > 0),
    arrived_on    date        NOT NULL DEFAULT current_date,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS visitor_stays_harbour_idx ON visitor_stays (harbour_id, arrived_on);

-- Picks the smallest vacant visitor berth that fits the vessel, marks it
-- occupied and records the stay. Returns the stay id.
CREATE OR REPLACE FUNCTION allocate_visitor_mooring(
    p_harbour_id  bigint,
    p_vessel_name text,
    p_length_m    numeric,
    p_nights      int
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_mooring_id bigint;
    v_nights     int;
    v_stay_id    bigint;
BEGIN
    SELECT m.id INTO v_mooring_id
    FROM moorings m
    WHERE m.harbour_id = p_harbour_id
      AND m.kind = 'visitor'
      AND m.status = 'vacant'
      AND m.max_length_m >= p_length_m
    ORDER BY m.max_length_m, m.id
    LIMIT 1;

    IF v_mooring_id IS NULL THEN
        RAISE EXCEPTION 'no visitor berth for % m at harbour %', p_length_m, p_harbour_id
            USING ERRCODE = 'P0002';
    END IF;

    UPDATE moorings
       SET status = 'occupied', updated_at = now()
     WHERE id = v_mooring_id;

    INSERT INTO visitor_stays (harbour_id, mooring_id, vessel_name, length_m, nights)
    VALUES (p_harbour_id, v_mooring_id, p_vessel_name, p_length_m, p_nights)
    RETURNING id INTO v_stay_id;

    -- Running total used for the harbour dues report to the council.
    SELECT visitor_nights INTO v_nights
    FROM harbour_season_stats
    WHERE harbour_id = p_harbour_id AND season = extract(year FROM current_date)::int;

    UPDATE harbour_season_stats
       SET visitor_nights = coalesce(v_nights, 0) + p_nights
     WHERE harbour_id = p_harbour_id AND season = extract(year FROM current_date)::int;

    RETURN v_stay_id;
END;
$$;

-- Frees the berth when the vessel leaves.
CREATE OR REPLACE FUNCTION end_visitor_stay(p_harbour_id bigint, p_stay_id bigint)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE moorings m
       SET status = 'vacant', updated_at = now()
      FROM visitor_stays s
     WHERE s.id = p_stay_id
       AND s.harbour_id = p_harbour_id
       AND m.id = s.mooring_id;
END;
$$;
