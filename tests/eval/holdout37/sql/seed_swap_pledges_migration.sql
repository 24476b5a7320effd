-- Migration 0014: walled garden seed swap — pledges and packet holds.
-- Members pledge packets of saved seed; other members put a hold on some
-- packets and collect them at the Saturday swap table.

BEGIN;

CREATE TABLE seed_pledges (
    id             bigserial PRIMARY KEY,
    member_id      int NOT NULL REFERENCES members(id),
    seed_family    text NOT NULL,
    variety        text NOT NULL,
    packets_total  int  NOT NULL CHECK (packets_total > 0),
    packets_left   int  NOT NULL,
    saved_year     int  NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX seed_pledges_variety_idx ON seed_pledges (seed_family, variety);

-- A hold keeps packets aside until the next swap day; unclaimed holds lapse.
CREATE TABLE seed_pledge_holds (
    id           bigserial PRIMARY KEY,
    pledge_id    bigint NOT NULL REFERENCES seed_pledges(id),
    member_id    int    NOT NULL REFERENCES members(id),
    packets      int    NOT NULL CHECK (packets > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX seed_pledge_holds_pledge_idx ON seed_pledge_holds (pledge_id, expires_at);

-- Called by the app when a member taps "Hold for me".
CREATE OR REPLACE FUNCTION hold_packets(p_pledge_id bigint, p_member_id int, p_packets int)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_hold_id bigint;
BEGIN
    INSERT INTO seed_pledge_holds (pledge_id, member_id, packets, expires_at)
    VALUES (p_pledge_id, p_member_id, p_packets, date_trunc('day', now()) + interval '8 days')
    RETURNING id INTO v_hold_id;
    RETURN v_hold_id;
END;
$$;

-- Packets still free to hold: pledged minus live holds.
CREATE OR REPLACE VIEW seed_pledge_availability AS
SELECT p.id AS pledge_id,
       p.seed_family,
       p.variety,
       p.packets_left - coalesce(sum(h.packets) FILTER (WHERE h.expires_at > now()), 0) AS packets_free
FROM seed_pledges p
LEFT JOIN seed_pledge_holds h ON h.pledge_id = p.id
GROUP BY p.id, p.seed_family, p.variety, p.packets_left;

-- Called at the swap table when packets change hands.
CREATE OR REPLACE FUNCTION record_swap(p_pledge_id bigint, p_packets int)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_left int;
BEGIN
    SELECT packets_left INTO v_left FROM seed_pledges WHERE id = p_pledge_id;

    v_left := greatest(v_left - p_packets, 0);

    UPDATE seed_pledges
    SET packets_left = v_left
    WHERE id = p_pledge_id;

    RETURN v_left;
END;
$$;

COMMIT;
