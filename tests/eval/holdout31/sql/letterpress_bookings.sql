-- Letterpress studio press bookings (PostgreSQL 15).
-- Studios are tenants (studio_id). Members book a press (Adana, Albion, Vandercook)
-- for a time range; overlapping bookings on the same press are rejected by an
-- exclusion constraint, and the weekly hours quota is checked under a row lock.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE press_bookings (
    id          bigserial PRIMARY KEY,
    studio_id   int        NOT NULL REFERENCES studios(id),
    press_id    int        NOT NULL REFERENCES presses(id),
    member_id   bigint     NOT NULL REFERENCES members(id),
    during      tstzrange  NOT NULL,
    job_note    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT press_bookings_no_overlap
        EXCLUDE USING gist (press_id WITH =, during WITH &&)
);

CREATE INDEX press_bookings_member_idx ON press_bookings (studio_id, member_id, lower(during));

CREATE OR REPLACE FUNCTION book_press(
    p_studio int, p_press int, p_member bigint, p_from timestamptz, p_to timestamptz, p_note text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_quota_hours numeric;
    v_used_hours  numeric;
    v_id          bigint;
BEGIN
    -- Lock the member's studio membership so two bookings from the same member
    -- cannot both pass the quota check.
    SELECT weekly_quota_hours INTO v_quota_hours
      FROM studio_members
     WHERE studio_id = p_studio AND member_id = p_member
       FOR UPDATE;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'member % is not in studio %', p_member, p_studio;
    END IF;

    SELECT coalesce(sum(extract(epoch FROM upper(during) - lower(during)) / 3600), 0)
      INTO v_used_hours
      FROM press_bookings
     WHERE studio_id = p_studio
       AND member_id = p_member
       AND lower(during) >= date_trunc('week', p_from)
       AND lower(during) <  date_trunc('week', p_from) + interval '7 days';

    IF v_used_hours + extract(epoch FROM p_to - p_from) / 3600 > v_quota_hours THEN
        RAISE EXCEPTION 'weekly press quota exceeded' USING ERRCODE = 'P0003';
    END IF;

    INSERT INTO press_bookings (studio_id, press_id, member_id, during, job_note)
    VALUES (p_studio, p_press, p_member, tstzrange(p_from, p_to, '[)'), p_note)
    RETURNING id INTO v_id;   -- overlap on the press raises exclusion_violation

    RETURN v_id;
END;
$$;

-- name: PressDay :many
-- Bookings shown on the studio's day planner for one press.
SELECT b.id, b.member_id, m.display_name, lower(b.during) AS starts_at, upper(b.during) AS ends_at, b.job_note
FROM press_bookings b
JOIN members m ON m.id = b.member_id
WHERE b.studio_id = $1
  AND b.press_id = $2
  AND b.during && tstzrange($3::date, $3::date + 1)
ORDER BY lower(b.during)
LIMIT 40;
