-- Repair café fixer sign-ups (PostgreSQL, used through sqlc).
-- Each café on the network is a tenant; every query is scoped by cafe_id.

CREATE TABLE fixer_signups (
    id          bigserial   PRIMARY KEY,
    cafe_id     bigint      NOT NULL REFERENCES cafes (id),
    event_id    bigint      NOT NULL,
    fixer_id    bigint      NOT NULL,
    skill       text        NOT NULL,  -- electrics, textiles, bikes, ...
    status      text        NOT NULL DEFAULT 'confirmed',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fixer_signups_once UNIQUE (cafe_id, event_id, fixer_id),
    FOREIGN KEY (cafe_id, event_id) REFERENCES cafe_events (cafe_id, id)
);

-- name: SignUpFixer :one
-- Signing up twice (double tap, retried request) returns no row instead of a duplicate.
INSERT INTO fixer_signups (cafe_id, event_id, fixer_id, skill)
VALUES ($1, $2, $3, $4)
ON CONFLICT (cafe_id, event_id, fixer_id) DO NOTHING
RETURNING id, status;

-- name: EventFixers :many
SELECT s.fixer_id, s.skill, s.status, s.created_at
FROM fixer_signups s
WHERE s.cafe_id = $1 AND s.event_id = $2
ORDER BY s.skill, s.created_at
LIMIT 100;

-- name: FixerProfiles :many
-- Batch lookup for the fixers on one event page.
SELECT f.id, f.display_name, f.skills, f.pat_tested_until
FROM fixers f
WHERE f.cafe_id = $1 AND f.id = ANY($2::bigint[]);

-- name: UpcomingEventsPage :many
-- Keyset pagination: pass the last (starts_at, id) of the previous page.
SELECT e.id, e.title, e.venue, e.starts_at
FROM cafe_events e
WHERE e.cafe_id = $1
  AND (e.starts_at, e.id) > ($2::timestamptz, $3::bigint)
ORDER BY e.starts_at, e.id
LIMIT $4;

-- Withdrawing moves the first waitlisted fixer with the same skill up.
-- The event row is locked so two withdrawals cannot promote the same person.
CREATE OR REPLACE FUNCTION withdraw_fixer(p_cafe_id bigint, p_event_id bigint, p_fixer_id bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_skill     text;
    v_promoted  bigint;
BEGIN
    PERFORM 1 FROM cafe_events
     WHERE cafe_id = p_cafe_id AND id = p_event_id
       FOR UPDATE;

    UPDATE fixer_signups
       SET status = 'withdrawn'
     WHERE cafe_id = p_cafe_id AND event_id = p_event_id AND fixer_id = p_fixer_id
       AND status = 'confirmed'
    RETURNING skill INTO v_skill;

    IF v_skill IS NULL THEN
        RETURN NULL;
    END IF;

    SELECT id INTO v_promoted
      FROM fixer_signups
     WHERE cafe_id = p_cafe_id AND event_id = p_event_id
       AND skill = v_skill AND status = 'waitlisted'
     ORDER BY created_at
     LIMIT 1
       FOR UPDATE;

    IF v_promoted IS NOT NULL THEN
        UPDATE fixer_signups SET status = 'confirmed'
         WHERE id = v_promoted AND cafe_id = p_cafe_id;
    END IF;

    RETURN v_promoted;
END;
$$;
