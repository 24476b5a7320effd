-- Volunteer hours and shift details for the tram restoration workshops.
-- Functions are called by the museum admin app through PostgREST
-- (/rpc/volunteer_month_summary, /rpc/shift_detail). Several tramway
-- museums share the database; museum_id is on every table.

CREATE OR REPLACE FUNCTION volunteer_month_summary(p_museum_id bigint, p_month date)
RETURNS TABLE (
    volunteer_id  bigint,
    display_name  text,
    shifts        int,
    hours         numeric,
    trams         text[]
)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v record;
BEGIN
    FOR v IN
        SELECT id, name
        FROM volunteers
        WHERE museum_id = p_museum_id AND active
        ORDER BY name
    LOOP
        volunteer_id := v.id;
        display_name := v.name;

        SELECT count(*)::int,
               coalesce(sum(extract(epoch FROM so.signed_out_at - so.signed_in_at)) / 3600, 0),
               array_agg(DISTINCT s.tram_fleet_no)
          INTO shifts, hours, trams
          FROM shift_signoffs so
          JOIN restoration_shifts s ON s.id = so.shift_id
         WHERE so.volunteer_id = v.id
           AND so.signed_in_at >= p_month
           AND so.signed_in_at < p_month + interval '1 month';

        RETURN NEXT;
    END LOOP;
END;
$$;


CREATE OR REPLACE FUNCTION shift_detail(p_museum_id bigint, p_shift_id bigint)
RETURNS TABLE (
    shift_id      bigint,
    depot         text,
    tram_fleet_no text,
    task          text,
    starts_at     timestamptz,
    volunteer     text,
    risk_notes    text
)
LANGUAGE sql STABLE AS $$
    SELECT s.id, d.name, s.tram_fleet_no, s.task, s.starts_at, v.name, s.risk_notes
    FROM restoration_shifts s
    JOIN depots d ON d.id = s.depot_id
    LEFT JOIN volunteers v ON v.id = s.volunteer_id
    WHERE s.id = p_shift_id;
$$;


-- Open shifts for a depot, soonest first; the rota page shows 50 at a time.
CREATE OR REPLACE FUNCTION open_shifts(p_museum_id bigint, p_depot_id bigint, p_offset int DEFAULT 0)
RETURNS SETOF restoration_shifts
LANGUAGE sql STABLE AS $$
    SELECT *
    FROM restoration_shifts
    WHERE museum_id = p_museum_id
      AND depot_id = p_depot_id
      AND volunteer_id IS NULL
      AND cancelled_at IS NULL
      AND starts_at > now()
    ORDER BY starts_at
    LIMIT 50 OFFSET p_offset;
$$;
