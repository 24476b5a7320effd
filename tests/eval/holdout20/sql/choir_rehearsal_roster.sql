-- Choir rehearsal roster: RSVP links and the weekly section roster.
-- PostgreSQL 14. Applied by the choir-admin service's migration runner.

-- Each rehearsal sends every member a one-click RSVP link. The token is
-- valid until the rehearsal starts.
CREATE TABLE rehearsal_rsvp_tokens (
    token         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    choir_id      bigint      NOT NULL REFERENCES choirs(id),
    rehearsal_id  bigint      NOT NULL REFERENCES rehearsals(id),
    member_id     bigint      NOT NULL REFERENCES members(id),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rehearsal_rsvp_tokens_member_idx ON rehearsal_rsvp_tokens (member_id);

CREATE OR REPLACE FUNCTION issue_rsvp_tokens(p_choir_id bigint, p_rehearsal_id bigint)
RETURNS int
LANGUAGE sql AS $$
    WITH ins AS (
        INSERT INTO rehearsal_rsvp_tokens (choir_id, rehearsal_id, member_id, expires_at)
        SELECT m.choir_id, r.id, m.id, r.starts_at
        FROM members m
        JOIN rehearsals r ON r.id = p_rehearsal_id AND r.choir_id = m.choir_id
        WHERE m.choir_id = p_choir_id AND m.active
        RETURNING 1
    )
    SELECT count(*)::int FROM ins;
$$;

-- Builds the roster sheet printed for the section leaders: every active member
-- with attendance over the last 10 rehearsals and their RSVP for this one.
CREATE OR REPLACE FUNCTION rehearsal_roster(p_choir_id bigint, p_rehearsal_id bigint)
RETURNS TABLE (section text, member_name text, attended_last_10 int, rsvp text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    m        record;
    v_att    int;
BEGIN
    FOR m IN
        SELECT mb.id, mb.full_name, mb.voice_section, coalesce(rs.answer, 'no reply') AS answer
        FROM members mb
        LEFT JOIN rsvps rs ON rs.member_id = mb.id AND rs.rehearsal_id = p_rehearsal_id
        WHERE mb.choir_id = p_choir_id AND mb.active
        ORDER BY mb.voice_section, mb.full_name
    LOOP
        SELECT count(*) INTO v_att
        FROM attendance a
        WHERE a.member_id = m.id
          AND a.rehearsal_id IN (
              SELECT id FROM rehearsals
              WHERE choir_id = p_choir_id AND starts_at < now()
              ORDER BY starts_at DESC LIMIT 10);

        section          := m.voice_section;
        member_name      := m.full_name;
        attended_last_10 := v_att;
        rsvp             := m.answer;
        RETURN NEXT;
    END LOOP;
END;
$$;
