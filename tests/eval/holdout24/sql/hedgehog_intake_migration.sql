-- 2024_05_02_intake_portal.sql
-- Hedgehog rescue: public intake portal. Finders report a hedgehog, the hotline
-- volunteer reserves a hospital pen, and the finder gets a one-time link to
-- upload photos and directions for the pick-up driver.

BEGIN;

CREATE TABLE hospital_pens (
    id          bigserial PRIMARY KEY,
    rescue_id   bigint      NOT NULL REFERENCES rescues(id),
    label       text        NOT NULL,            -- e.g. "Intensive 3", "Outdoor run B"
    pen_type    text        NOT NULL CHECK (pen_type IN ('intensive', 'indoor', 'outdoor')),
    heated      boolean     NOT NULL DEFAULT false,
    occupied_by bigint,                           -- intakes.id while in use
    UNIQUE (rescue_id, label)
);

CREATE TABLE intakes (
    id            bigserial PRIMARY KEY,
    rescue_id     bigint      NOT NULL REFERENCES rescues(id),
    finder_name   text        NOT NULL,
    finder_phone  text        NOT NULL,
    found_at      timestamptz NOT NULL,
    found_where   text        NOT NULL,
    weight_g      integer,
    condition     text,                           -- triage notes from the hotline
    pen_id        bigint      REFERENCES hospital_pens(id),
    status        text        NOT NULL DEFAULT 'reported',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intakes_rescue_status_idx ON intakes (rescue_id, status);

-- One-time upload links sent by SMS to the finder; valid for 48 hours.
CREATE TABLE finder_upload_links (
    token       text        PRIMARY KEY,
    intake_id   bigint      NOT NULL REFERENCES intakes(id),
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '48 hours',
    used_at     timestamptz
);

-- Called by the hotline screen when a volunteer admits a hoglet to a pen.
CREATE OR REPLACE FUNCTION admit_to_pen(p_rescue_id bigint, p_intake_id bigint, p_pen_type text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_pen_id bigint;
BEGIN
    SELECT id INTO v_pen_id
    FROM hospital_pens
    WHERE rescue_id = p_rescue_id AND pen_type = p_pen_type AND occupied_by IS NULL
    ORDER BY heated DESC, id
    LIMIT 1;

    IF v_pen_id IS NULL THEN
        RAISE EXCEPTION 'no free % pen', p_pen_type USING ERRCODE = 'P0001';
    END IF;

    UPDATE hospital_pens SET occupied_by = p_intake_id WHERE id = v_pen_id;
    UPDATE intakes SET pen_id = v_pen_id, status = 'admitted'
    WHERE id = p_intake_id AND rescue_id = p_rescue_id;

    RETURN v_pen_id;
END;
$$;

-- Issue an upload link for an intake; the portal checks expires_at and used_at on use.
CREATE OR REPLACE FUNCTION issue_upload_link(p_intake_id bigint)
RETURNS text
LANGUAGE sql AS $$
    INSERT INTO finder_upload_links (token, intake_id)
    VALUES (encode(gen_random_bytes(24), 'base64'), p_intake_id)
    RETURNING token;
$$;

COMMIT;
