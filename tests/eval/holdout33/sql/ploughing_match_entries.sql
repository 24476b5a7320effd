-- Migration 0007: competitor entries and plot holds for the county ploughing match.
-- Competitors pick a plot in their class on the entry form; the plot is held
-- while they pay the entry fee through the society's card page.

CREATE TABLE ploughing_classes (
    id            serial PRIMARY KEY,
    match_year    int         NOT NULL,
    name          text        NOT NULL,          -- 'Vintage trailed', 'Horse ploughing', 'Reversible' ...
    entry_fee_p   int         NOT NULL,
    plots         int         NOT NULL CHECK (plots > 0),
    UNIQUE (match_year, name)
);

CREATE TABLE competitor_entries (
    id            bigserial PRIMARY KEY,
    class_id      int         NOT NULL REFERENCES ploughing_classes(id),
    plot_no       int         NOT NULL,
    competitor    text        NOT NULL,
    tractor_or_team text      NOT NULL,
    paid_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (class_id, plot_no)
);

CREATE TABLE plot_holds (
    id            bigserial PRIMARY KEY,
    class_id      int         NOT NULL REFERENCES ploughing_classes(id),
    plot_no       int         NOT NULL,
    session_token text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX plot_holds_class_plot_idx ON plot_holds (class_id, plot_no, expires_at);

-- Called by the entry form when a competitor clicks a plot on the field map.
CREATE OR REPLACE FUNCTION hold_plot(p_class_id int, p_plot_no int, p_token text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_held    int;
    v_entered int;
    v_hold_id bigint;
BEGIN
    SELECT count(*) INTO v_held FROM plot_holds WHERE class_id = p_class_id AND plot_no = p_plot_no AND expires_at > now();

    SELECT count(*) INTO v_entered
      FROM competitor_entries
     WHERE class_id = p_class_id AND plot_no = p_plot_no;

    IF v_held > 0 OR v_entered > 0 THEN
        RAISE EXCEPTION 'plot % is not available', p_plot_no USING ERRCODE = 'P0001';
    END IF;

    INSERT INTO plot_holds (class_id, plot_no, session_token, expires_at) VALUES (p_class_id, p_plot_no, p_token, now() + interval '20 minutes')
    RETURNING id INTO v_hold_id;

    RETURN v_hold_id;
END;
$$;

-- Called from the payment callback once the entry fee is taken.
CREATE OR REPLACE FUNCTION confirm_entry(p_hold_id bigint, p_competitor text, p_team text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold  plot_holds%ROWTYPE;
    v_entry bigint;
BEGIN
    SELECT * INTO v_hold FROM plot_holds WHERE id = p_hold_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown hold %', p_hold_id;
    END IF;

    INSERT INTO competitor_entries (class_id, plot_no, competitor, tractor_or_team, paid_at)
    VALUES (v_hold.class_id, v_hold.plot_no, p_competitor, p_team, now())
    RETURNING id INTO v_entry;

    RETURN v_entry;
END;
$$;
