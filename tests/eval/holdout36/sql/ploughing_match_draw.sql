-- Ploughing match plot draw.
-- Entrants are seeded into draw groups by their society's region so that
-- neighbours don't end up ploughing side by side, then stewards can move an
-- entrant to another plot on the morning (lame horse, wet headland, etc.).

CREATE TABLE IF NOT EXISTS match_plots (
    match_id        bigint      NOT NULL REFERENCES ploughing_matches(id),
    plot_no         integer     NOT NULL,
    class_code      text        NOT NULL,          -- 'VINTAGE', 'HORSE', 'REVERSIBLE', ...
    field_name      text        NOT NULL,
    drawn_entry_id  bigint      REFERENCES match_entries(id),
    PRIMARY KEY (match_id, plot_no)
);

CREATE INDEX IF NOT EXISTS match_entries_match_idx ON match_entries (match_id, class_code);

CREATE OR REPLACE FUNCTION seed_draw_groups(p_match_id bigint)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r_entry   record;
    v_region  text;
    v_seeded  integer := 0;
BEGIN
    FOR r_entry IN
        SELECT e.id, e.ploughman_id, e.class_code
          FROM match_entries e
         WHERE e.match_id = p_match_id
           AND e.withdrawn_at IS NULL
         ORDER BY e.entered_at
    LOOP
        SELECT s.region INTO v_region FROM ploughmen pm JOIN ploughing_societies s ON s.id = pm.society_id WHERE pm.id = r_entry.ploughman_id;

        UPDATE match_entries
           SET draw_group = r_entry.class_code || ':' || coalesce(v_region, 'OPEN')
         WHERE id = r_entry.id;
        v_seeded := v_seeded + 1;
    END LOOP;
    RETURN v_seeded;
END;
$$;

-- Called from the steward's tablet: move an entrant onto a different plot
-- in the same class.
CREATE OR REPLACE FUNCTION steward_move_entry(p_match_id bigint, p_entry_id bigint, p_new_plot integer)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_taken_by  bigint;
    v_class     text;
BEGIN
    SELECT drawn_entry_id, class_code INTO v_taken_by, v_class
      FROM match_plots
     WHERE match_id = p_match_id AND plot_no = p_new_plot;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'plot % does not exist in match %', p_new_plot, p_match_id;
    END IF;
    IF v_taken_by IS NOT NULL THEN
        RAISE EXCEPTION 'plot % is already drawn', p_new_plot USING ERRCODE = 'unique_violation';
    END IF;

    UPDATE match_plots SET drawn_entry_id = NULL
     WHERE match_id = p_match_id AND drawn_entry_id = p_entry_id;

    UPDATE match_plots SET drawn_entry_id = p_entry_id
     WHERE match_id = p_match_id AND plot_no = p_new_plot;

    UPDATE match_entries SET plot_no = p_new_plot, moved_by_steward = true
     WHERE id = p_entry_id AND match_id = p_match_id;
END;
$$;

-- Judges' sheet for one field, printed on the morning.
SELECT p.plot_no, p.class_code, e.competitor_no, pm.display_name
  FROM match_plots p
  JOIN match_entries e ON e.id = p.drawn_entry_id
  JOIN ploughmen pm ON pm.id = e.ploughman_id
 WHERE p.match_id = $1 AND p.field_name = $2
 ORDER BY p.plot_no
 LIMIT 120;
