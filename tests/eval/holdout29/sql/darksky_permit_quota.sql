-- Dark-sky site permits: each observing site allows a fixed number of
-- vehicles per night (car park size, headlight rules). PostgreSQL 15.

CREATE TABLE IF NOT EXISTS site_nights (
    site_id       integer NOT NULL REFERENCES observing_sites(id),
    night         date    NOT NULL,
    permits_left  integer NOT NULL CHECK (permits_left >= 0),
    PRIMARY KEY (site_id, night)
);

CREATE TABLE IF NOT EXISTS night_permits (
    id            bigserial   PRIMARY KEY,
    site_id       integer     NOT NULL,
    night         date        NOT NULL,
    applicant_id  bigint      NOT NULL REFERENCES applicants(id),
    vehicle_reg   text        NOT NULL,
    issued_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site_id, night, applicant_id)
);

-- Issue a permit for one night. The unique key makes a double submit return
-- the existing permit instead of taking a second place, and the decrement only
-- succeeds while places are left (the RAISE rolls back the insert).
CREATE OR REPLACE FUNCTION issue_night_permit(p_site integer, p_night date, p_applicant bigint, p_reg text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_permit bigint;
BEGIN
    INSERT INTO night_permits (site_id, night, applicant_id, vehicle_reg)
    VALUES (p_site, p_night, p_applicant, p_reg)
    ON CONFLICT (site_id, night, applicant_id) DO NOTHING
    RETURNING id INTO v_permit;

    IF v_permit IS NULL THEN
        SELECT id INTO v_permit
          FROM night_permits
         WHERE site_id = p_site AND night = p_night AND applicant_id = p_applicant;
        RETURN v_permit;
    END IF;

    UPDATE site_nights
       SET permits_left = permits_left - 1
     WHERE site_id = p_site
       AND night = p_night
       AND permits_left > 0;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no permits left for site % on %', p_site, p_night
            USING ERRCODE = 'P0002';
    END IF;

    RETURN v_permit;
END;
$$;

-- Ranger's gate list for a night, keyset-paginated (100 per page).
SELECT p.id, p.vehicle_reg, a.full_name, p.issued_at
  FROM night_permits p
  JOIN applicants a ON a.id = p.applicant_id
 WHERE p.site_id = $1
   AND p.night = $2
   AND p.id > $3
 ORDER BY p.id
 LIMIT 100;
