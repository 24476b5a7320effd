-- register_team(): signs a team up for an e-sports tournament bracket.
-- Concurrency: the tournament row is locked so the slot count cannot be
-- oversubscribed; duplicate sign-ups are absorbed by the unique constraint.

ALTER TABLE tournament_entries
    ADD CONSTRAINT tournament_entries_once UNIQUE (tournament_id, team_id);

CREATE OR REPLACE FUNCTION register_team(p_tournament_id bigint, p_team_id bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_max_teams  integer;
    v_status     text;
    v_registered integer;
BEGIN
    SELECT max_teams, status
      INTO v_max_teams, v_status
      FROM tournaments
     WHERE id = p_tournament_id
       FOR UPDATE;

    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    IF v_status <> 'registration_open' THEN
        RETURN 'closed';
    END IF;

    SELECT count(*) INTO v_registered
      FROM tournament_entries
     WHERE tournament_id = p_tournament_id;

    IF v_registered >= v_max_teams THEN
        RETURN 'full';
    END IF;

    INSERT INTO tournament_entries (tournament_id, team_id, registered_at)
    VALUES (p_tournament_id, p_team_id, now())
    ON CONFLICT (tournament_id, team_id) DO NOTHING;

    IF NOT FOUND THEN
        RETURN 'already_registered';
    END IF;
    RETURN 'ok';
END;
$$;

-- withdraw frees the slot; same lock order as register_team
CREATE OR REPLACE FUNCTION withdraw_team(p_tournament_id bigint, p_team_id bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1 FROM tournaments WHERE id = p_tournament_id FOR UPDATE;

    DELETE FROM tournament_entries
     WHERE tournament_id = p_tournament_id
       AND team_id = p_team_id;
    RETURN FOUND;
END;
$$;
