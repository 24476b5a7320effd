-- migrate:up
-- Language-exchange meetups: RSVPs with a capacity cap, and shareable invite
-- links that expire after 72h (expired links are purged hourly, see bottom).

CREATE TABLE meetups (
    id           bigserial PRIMARY KEY,
    chapter_id   bigint      NOT NULL REFERENCES chapters(id),
    title        text        NOT NULL,
    languages    text[]      NOT NULL,          -- e.g. {es,en}
    starts_at    timestamptz NOT NULL,
    capacity     int         NOT NULL CHECK (capacity > 0),
    rsvp_count   int         NOT NULL DEFAULT 0 CHECK (rsvp_count >= 0),
    CONSTRAINT rsvp_within_capacity CHECK (rsvp_count <= capacity)
);

CREATE TABLE meetup_rsvps (
    meetup_id    bigint      NOT NULL REFERENCES meetups(id) ON DELETE CASCADE,
    member_id    bigint      NOT NULL REFERENCES members(id),
    native_lang  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meetup_id, member_id)
);

CREATE TABLE meetup_invites (
    token        text        PRIMARY KEY,
    meetup_id    bigint      NOT NULL REFERENCES meetups(id) ON DELETE CASCADE,
    created_by   bigint      NOT NULL REFERENCES members(id),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '72 hours'
);
CREATE INDEX meetup_invites_expires_idx ON meetup_invites (expires_at);

-- RSVP: returns true if a seat was taken, false if already RSVP'd.
-- Raises 'meetup_full' when the cap is reached; the whole call rolls back then.
CREATE OR REPLACE FUNCTION rsvp_meetup(p_meetup bigint, p_member bigint, p_lang text)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO meetup_rsvps (meetup_id, member_id, native_lang)
    VALUES (p_meetup, p_member, p_lang)
    ON CONFLICT (meetup_id, member_id) DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;                       -- already going
    END IF;

    UPDATE meetups
       SET rsvp_count = rsvp_count + 1
     WHERE id = p_meetup
       AND rsvp_count < capacity;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'meetup_full' USING ERRCODE = 'P0001';
    END IF;
    RETURN true;
END;
$$;

CREATE OR REPLACE FUNCTION cancel_rsvp(p_meetup bigint, p_member bigint)
RETURNS void
LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM meetup_rsvps
         WHERE meetup_id = p_meetup AND member_id = p_member
        RETURNING meetup_id
    )
    UPDATE meetups m
       SET rsvp_count = m.rsvp_count - 1
      FROM gone
     WHERE m.id = gone.meetup_id;
$$;

-- hourly purge of dead invite links
SELECT cron.schedule(
    'purge-expired-meetup-invites',
    '7 * * * *',
    $$DELETE FROM meetup_invites WHERE expires_at < now()$$
);

-- migrate:down
SELECT cron.unschedule('purge-expired-meetup-invites');
DROP FUNCTION IF EXISTS cancel_rsvp(bigint, bigint);
DROP FUNCTION IF EXISTS rsvp_meetup(bigint, bigint, text);
DROP TABLE IF EXISTS meetup_invites;
DROP TABLE IF EXISTS meetup_rsvps;
DROP TABLE IF EXISTS meetups;
