-- Hedge-laying competition entries arrive from the county form provider as webhook
-- events. The API hands each event to ingest_hedging_entry(); the provider redelivers
-- on timeouts, so events are recorded by id first and a repeat is a no-op.

CREATE TABLE form_events (
    provider     text        NOT NULL,
    event_id     text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

CREATE TABLE hedging_entries (
    id             bigserial PRIMARY KEY,
    org_id         int    NOT NULL REFERENCES orgs(id),
    competition_id bigint NOT NULL REFERENCES hedging_competitions(id),
    competitor_id  bigint NOT NULL REFERENCES competitors(id),
    style          text   NOT NULL CHECK (style IN ('Midland', 'South of England', 'Welsh Border', 'Devon', 'Derbyshire')),
    class          text   NOT NULL,
    CONSTRAINT hedging_entries_once UNIQUE (competition_id, competitor_id, class)
);

CREATE OR REPLACE FUNCTION ingest_hedging_entry(
    p_provider text, p_event_id text, p_org int, p_competition bigint,
    p_competitor bigint, p_style text, p_class text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_entry bigint;
BEGIN
    INSERT INTO form_events (provider, event_id)
    VALUES (p_provider, p_event_id)
    ON CONFLICT DO NOTHING;

    IF NOT FOUND THEN
        RETURN 'duplicate';
    END IF;

    INSERT INTO hedging_entries (org_id, competition_id, competitor_id, style, class)
    VALUES (p_org, p_competition, p_competitor, p_style, p_class)
    ON CONFLICT ON CONSTRAINT hedging_entries_once DO NOTHING
    RETURNING id INTO v_entry;

    IF v_entry IS NULL THEN
        RETURN 'already_entered';
    END IF;

    -- Single-statement increment; no read-modify-write.
    UPDATE hedging_competitions
       SET entries_count = entries_count + 1
     WHERE id = p_competition AND org_id = p_org;

    RETURN 'entered';
END;
$$;

-- Retention: the provider only redelivers for 72 hours, keep 30 days for audits.
SELECT cron.schedule(
    'purge-form-events',
    '40 3 * * *',
    $$DELETE FROM form_events WHERE received_at < now() - interval '30 days'$$
);

-- name: CompetitionEntries :many
SELECT e.id, c.display_name, e.style, e.class
FROM hedging_entries e
JOIN competitors c ON c.id = e.competitor_id
WHERE e.org_id = $1 AND e.competition_id = $2
ORDER BY e.class, c.display_name
LIMIT 100 OFFSET $3;
