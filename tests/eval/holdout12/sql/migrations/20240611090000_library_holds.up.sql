-- Library holds.
-- Patrons queue for a title; when a copy is checked in it goes on the hold shelf of the
-- pickup branch for the next patron in the queue, until shelf_expires_at.
-- Patrons can also reset their PIN from the catalogue (emailed link).

BEGIN;

CREATE TABLE hold_requests (
    id             bigserial   PRIMARY KEY,
    library_id     int         NOT NULL REFERENCES libraries (id),
    patron_id      bigint      NOT NULL REFERENCES patrons (id),
    title_id       bigint      NOT NULL REFERENCES titles (id),
    pickup_branch  int         NOT NULL REFERENCES branches (id),
    status         text        NOT NULL DEFAULT 'queued'
                               CHECK (status IN ('queued', 'ready', 'fulfilled', 'cancelled')),
    queued_at      timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX hold_requests_one_active
    ON hold_requests (patron_id, title_id)
    WHERE status IN ('queued', 'ready');

CREATE INDEX hold_requests_queue
    ON hold_requests (library_id, title_id, queued_at)
    WHERE status = 'queued';

CREATE TABLE hold_shelf (
    copy_id           bigint      PRIMARY KEY REFERENCES copies (id),
    hold_request_id   bigint      NOT NULL REFERENCES hold_requests (id),
    library_id        int         NOT NULL REFERENCES libraries (id),
    branch_id         int         NOT NULL REFERENCES branches (id),
    placed_at         timestamptz NOT NULL DEFAULT now(),
    shelf_expires_at  timestamptz NOT NULL DEFAULT now() + interval '7 days'
);

CREATE INDEX hold_shelf_branch ON hold_shelf (library_id, branch_id);

CREATE TABLE pin_reset_tokens (
    token_hash   bytea       PRIMARY KEY,
    patron_id    bigint      NOT NULL REFERENCES patrons (id),
    valid_until  timestamptz NOT NULL DEFAULT now() + interval '30 minutes',
    used_at      timestamptz
);

-- what the catalogue shows as "available now": on the shelf and not held for somebody
CREATE VIEW copies_available AS
SELECT c.*
FROM copies c
WHERE c.status = 'on_shelf'
  AND NOT EXISTS (
        SELECT 1
        FROM hold_shelf hs
        WHERE hs.copy_id = c.id
          AND hs.shelf_expires_at > now());

COMMIT;
