-- migrations/0042_hut_bunk_holds.up.sql
-- Adds temporary bunk holds so a member can keep bunks for 15 minutes while
-- the section treasurer confirms the hut fee. Sections share the database;
-- row-level security keeps each section's rows to itself.

BEGIN;

CREATE TABLE hut_nights (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    section_id   bigint  NOT NULL REFERENCES sections (id),
    hut_id       bigint  NOT NULL REFERENCES huts (id),
    night        date    NOT NULL,
    bunks_total  integer NOT NULL CHECK (bunks_total > 0),
    bunks_taken  integer NOT NULL DEFAULT 0,
    CONSTRAINT hut_nights_capacity CHECK (bunks_taken BETWEEN 0 AND bunks_total),
    CONSTRAINT hut_nights_one_per_night UNIQUE (hut_id, night)
);

CREATE TABLE bunk_holds (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    section_id    bigint      NOT NULL REFERENCES sections (id),
    hut_night_id  bigint      NOT NULL REFERENCES hut_nights (id) ON DELETE CASCADE,
    member_id     bigint      NOT NULL REFERENCES members (id),
    bunks         smallint    NOT NULL CHECK (bunks BETWEEN 1 AND 6),
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    CONSTRAINT bunk_holds_one_per_member UNIQUE (hut_night_id, member_id)
);

CREATE INDEX bunk_holds_expires_at_idx ON bunk_holds (expires_at);
CREATE INDEX hut_nights_section_hut_night_idx ON hut_nights (section_id, hut_id, night);

ALTER TABLE hut_nights ENABLE ROW LEVEL SECURITY;
ALTER TABLE bunk_holds ENABLE ROW LEVEL SECURITY;

CREATE POLICY hut_nights_section ON hut_nights
    USING (section_id = current_setting('app.section_id')::bigint);
CREATE POLICY bunk_holds_section ON bunk_holds
    USING (section_id = current_setting('app.section_id')::bigint);

-- Releases lapsed holds and gives their bunks back in the same statement.
-- Runs as the table owner (bypasses RLS) from pg_cron every minute.
CREATE OR REPLACE FUNCTION release_expired_bunk_holds()
RETURNS integer
LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM bunk_holds
        WHERE expires_at < now()
        RETURNING hut_night_id, bunks
    ), per_night AS (
        SELECT hut_night_id, sum(bunks)::integer AS bunks
        FROM gone
        GROUP BY hut_night_id
    ), upd AS (
        UPDATE hut_nights n
        SET bunks_taken = n.bunks_taken - p.bunks
        FROM per_night p
        WHERE n.id = p.hut_night_id
        RETURNING n.id
    )
    SELECT count(*)::integer FROM upd;
$$;

SELECT cron.schedule('release-expired-bunk-holds', '* * * * *',
                     $$SELECT release_expired_bunk_holds()$$);

COMMIT;
