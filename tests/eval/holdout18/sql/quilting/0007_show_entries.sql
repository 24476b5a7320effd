-- 0007_show_entries.sql
-- Guild show entry flow: an entrant picks a hanging slot, we hold it while
-- they pay the entry fee in Stripe Checkout, then the webhook confirms it.

BEGIN;

CREATE TABLE quilt_shows (
    id              bigserial PRIMARY KEY,
    guild_id        bigint      NOT NULL REFERENCES guilds(id),
    title           text        NOT NULL,
    venue           text        NOT NULL,
    opens_on        date        NOT NULL,
    closes_on       date        NOT NULL,
    hanging_slots   integer     NOT NULL CHECK (hanging_slots > 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE show_categories (
    id          bigserial PRIMARY KEY,
    show_id     bigint  NOT NULL REFERENCES quilt_shows(id) ON DELETE CASCADE,
    name        text    NOT NULL,          -- 'Art Quilt', 'Traditional Pieced', 'Miniature' ...
    max_width_cm integer,
    UNIQUE (show_id, name)
);

CREATE TABLE show_entries (
    id              bigserial PRIMARY KEY,
    show_id         bigint      NOT NULL REFERENCES quilt_shows(id),
    category_id     bigint      NOT NULL REFERENCES show_categories(id),
    member_id       bigint      NOT NULL REFERENCES members(id),
    quilt_title     text        NOT NULL,
    width_cm        integer     NOT NULL,
    height_cm       integer     NOT NULL,
    status          text        NOT NULL DEFAULT 'confirmed'
                    CHECK (status IN ('confirmed', 'withdrawn', 'judged')),
    entered_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX show_entries_show_idx ON show_entries (show_id, category_id);

-- A hold keeps a slot for the entrant while Checkout is open.
-- Free slots = hanging_slots - confirmed entries - holds WHERE hold_until > now().
CREATE TABLE entry_slot_holds (
    id                  bigserial PRIMARY KEY,
    show_id             bigint      NOT NULL REFERENCES quilt_shows(id),
    member_id           bigint      NOT NULL REFERENCES members(id),
    checkout_session_id text        NOT NULL UNIQUE,
    hold_until          timestamptz NOT NULL DEFAULT now() + interval '20 minutes',
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX entry_slot_holds_active_idx ON entry_slot_holds (show_id, hold_until);

-- helper used by the entry form to show "N slots left"
CREATE OR REPLACE FUNCTION show_free_slots(p_show_id bigint)
RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT s.hanging_slots
         - (SELECT count(*) FROM show_entries e
             WHERE e.show_id = s.id AND e.status = 'confirmed')
         - (SELECT count(*) FROM entry_slot_holds h
             WHERE h.show_id = s.id AND h.hold_until > now())
    FROM quilt_shows s
    WHERE s.id = p_show_id;
$$;

COMMIT;
