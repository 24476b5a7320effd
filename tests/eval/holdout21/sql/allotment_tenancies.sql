-- 2024_03_02_120000_allotment_tenancies.sql
-- Plots, waiting list and tenancies for the allotment associations.
-- One database, many associations: association_id is part of every key.

CREATE TABLE plots (
    association_id bigint      NOT NULL REFERENCES associations (id),
    id             bigserial,
    label          text        NOT NULL,
    size_m2        numeric(6,1) NOT NULL,
    has_water      boolean     NOT NULL DEFAULT false,
    status         text        NOT NULL DEFAULT 'vacant'
                   CHECK (status IN ('vacant', 'let', 'withdrawn')),
    PRIMARY KEY (association_id, id),
    UNIQUE (association_id, label)
);

CREATE TABLE waiting_list (
    association_id bigint      NOT NULL REFERENCES associations (id),
    member_id      bigint      NOT NULL,
    joined_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (association_id, member_id)
);

CREATE TABLE plot_tenancies (
    association_id bigint      NOT NULL,
    plot_id        bigint      NOT NULL,
    member_id      bigint      NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    ended_at       timestamptz,
    FOREIGN KEY (association_id, plot_id) REFERENCES plots (association_id, id)
);

-- At most one running tenancy per plot, enforced by the database.
CREATE UNIQUE INDEX plot_tenancies_one_active
    ON plot_tenancies (association_id, plot_id)
    WHERE ended_at IS NULL;

CREATE INDEX waiting_list_queue_idx ON waiting_list (association_id, joined_at);

-- Offer a vacant plot to a member. The status flip is conditional, so only
-- one caller can move a plot from 'vacant' to 'let'; everyone else gets NULL.
CREATE OR REPLACE FUNCTION let_plot(p_association_id bigint, p_plot_id bigint, p_member_id bigint)
RETURNS timestamptz
LANGUAGE plpgsql
AS $$
DECLARE
    v_started timestamptz;
BEGIN
    UPDATE plots
       SET status = 'let'
     WHERE association_id = p_association_id
       AND id = p_plot_id
       AND status = 'vacant';

    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    INSERT INTO plot_tenancies (association_id, plot_id, member_id)
    VALUES (p_association_id, p_plot_id, p_member_id)
    RETURNING started_at INTO v_started;

    DELETE FROM waiting_list
     WHERE association_id = p_association_id
       AND member_id = p_member_id;

    RETURN v_started;
END;
$$;

-- Next ten people on the list, for the committee's offer email.
CREATE OR REPLACE FUNCTION waiting_list_head(p_association_id bigint)
RETURNS TABLE (member_id bigint, joined_at timestamptz)
LANGUAGE sql STABLE
AS $$
    SELECT w.member_id, w.joined_at
      FROM waiting_list w
     WHERE w.association_id = p_association_id
     ORDER BY w.joined_at
     LIMIT 10;
$$;
