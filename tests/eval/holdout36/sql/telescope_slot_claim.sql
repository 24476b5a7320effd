-- Dark-sky observatory: members claim telescope slots for clear nights.
-- The society runs three sites (observatory_id); each has its own members
-- and telescopes, and every function takes the caller's observatory.

ALTER TABLE telescope_slots
    ADD CONSTRAINT telescope_slots_unique_start UNIQUE (observatory_id, telescope_id, starts_at);

CREATE TABLE IF NOT EXISTS slot_claims (
    slot_id        bigint      PRIMARY KEY REFERENCES telescope_slots(id),
    observatory_id integer     NOT NULL,
    member_id      bigint      NOT NULL,
    claimed_at     timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION claim_telescope_slot(
    p_observatory_id integer,
    p_slot_id        bigint,
    p_member_id      bigint
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_status     text;
    v_minutes    integer;
BEGIN
    -- Lock the slot row so two members pressing "claim" at dusk serialise.
    SELECT s.status, s.duration_minutes INTO v_status, v_minutes
      FROM telescope_slots s
     WHERE s.id = p_slot_id
       AND s.observatory_id = p_observatory_id
     FOR UPDATE;

    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    IF v_status <> 'open' THEN
        RETURN 'taken';
    END IF;

    -- Monthly allowance: the increment only succeeds while it stays in quota.
    UPDATE observing_members
       SET minutes_used = minutes_used + v_minutes
     WHERE id = p_member_id
       AND observatory_id = p_observatory_id
       AND minutes_used + v_minutes <= monthly_quota_minutes;
    IF NOT FOUND THEN
        RETURN 'over_quota';
    END IF;

    UPDATE telescope_slots
       SET status = 'claimed', member_id = p_member_id
     WHERE id = p_slot_id AND observatory_id = p_observatory_id;

    INSERT INTO slot_claims (slot_id, observatory_id, member_id)
    VALUES (p_slot_id, p_observatory_id, p_member_id)
    ON CONFLICT (slot_id) DO NOTHING;

    RETURN 'claimed';
END;
$$;

-- Tonight's open slots for one site, for the claim screen.
SELECT s.id, t.name AS telescope, s.starts_at, s.duration_minutes
  FROM telescope_slots s
  JOIN telescopes t ON t.id = s.telescope_id AND t.observatory_id = s.observatory_id
 WHERE s.observatory_id = $1
   AND s.night = $2
   AND s.status = 'open'
 ORDER BY s.starts_at, t.name
 LIMIT 100;
