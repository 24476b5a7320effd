-- Migration 0042: meteorite find reports
-- Members of the public report suspected meteorite finds with photos and a
-- grid reference. Reporters confirm their email through a one-time link, and
-- finders earn reputation points when a curator verifies a find.

BEGIN;

CREATE TABLE finder_profiles (
    id            bigserial PRIMARY KEY,
    email         citext NOT NULL UNIQUE,
    display_name  text NOT NULL,
    points        integer NOT NULL DEFAULT 0,
    verified_finds integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE find_reports (
    id             bigserial PRIMARY KEY,
    finder_id      bigint NOT NULL REFERENCES finder_profiles (id),
    grid_ref       text NOT NULL,               -- OS grid reference, e.g. SK 123 456
    mass_grams     numeric(10, 2),
    fusion_crust   boolean,
    magnetic       boolean,
    status         text NOT NULL DEFAULT 'submitted'
                   CHECK (status IN ('submitted', 'email_confirmed', 'under_review', 'verified', 'rejected')),
    curator_notes  text,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX find_reports_status_idx ON find_reports (status, created_at);

-- One-time links emailed to the reporter; valid for 48 hours.
CREATE TABLE report_confirmation_tokens (
    token        text PRIMARY KEY,
    report_id    bigint NOT NULL REFERENCES find_reports (id) ON DELETE CASCADE,
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '48 hours',
    used_at      timestamptz
);

CREATE OR REPLACE FUNCTION confirm_report_email(p_token text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_report_id bigint;
BEGIN
    UPDATE report_confirmation_tokens
       SET used_at = now()
     WHERE token = p_token
       AND used_at IS NULL
       AND expires_at > now()
    RETURNING report_id INTO v_report_id;

    IF v_report_id IS NULL THEN
        RAISE EXCEPTION 'confirmation link invalid or expired';
    END IF;

    UPDATE find_reports SET status = 'email_confirmed'
     WHERE id = v_report_id AND status = 'submitted';
    RETURN v_report_id;
END;
$$;

-- Curators call this when they verify a find; points scale with the evidence.
CREATE OR REPLACE FUNCTION award_finder_points(p_report_id bigint, p_points integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_finder_id bigint;
    v_points    integer;
    v_finds     integer;
BEGIN
    SELECT finder_id INTO v_finder_id FROM find_reports WHERE id = p_report_id;

    SELECT points, verified_finds INTO v_points, v_finds FROM finder_profiles WHERE id = v_finder_id;

    v_points := v_points + p_points;
    v_finds  := v_finds + 1;

    UPDATE finder_profiles
       SET points = v_points,
           verified_finds = v_finds
     WHERE id = v_finder_id;

    UPDATE find_reports SET status = 'verified' WHERE id = p_report_id;
    RETURN v_points;
END;
$$;

COMMIT;
