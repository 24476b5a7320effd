-- 0017_cottage_stays_no_overlap.sql
-- Keeper's cottages are let by several heritage trusts through the same
-- platform; trust_id scopes every row. Overlapping stays for one cottage are
-- rejected by the database itself, so two guests booking the same week at
-- the same moment cannot both succeed.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE cottage_stays (
    id          bigserial   PRIMARY KEY,
    trust_id    bigint      NOT NULL REFERENCES trusts(id),
    cottage_id  bigint      NOT NULL REFERENCES cottages(id),
    guest_name  text        NOT NULL,
    email       text        NOT NULL,
    nights      daterange   NOT NULL,
    status      text        NOT NULL DEFAULT 'confirmed'
                CHECK (status IN ('confirmed', 'cancelled')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cottage_stays_no_overlap
        EXCLUDE USING gist (cottage_id WITH =, nights WITH &&)
        WHERE (status = 'confirmed')
);

CREATE INDEX cottage_stays_trust_cottage_idx ON cottage_stays (trust_id, cottage_id, lower(nights));

-- book_cottage_stay inserts and lets the exclusion constraint arbitrate.
-- The exclusion violation is turned into a readable error for the API,
-- which maps SQLSTATE 'CS409' to HTTP 409.
CREATE OR REPLACE FUNCTION book_cottage_stay(
    p_trust_id   bigint,
    p_cottage_id bigint,
    p_guest_name text,
    p_email      text,
    p_arrive     date,
    p_depart     date
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_depart <= p_arrive THEN
        RAISE EXCEPTION 'depart must be after arrive' USING ERRCODE = '22023';
    END IF;

    INSERT INTO cottage_stays (trust_id, cottage_id, guest_name, email, nights)
    SELECT p_trust_id, c.id, p_guest_name, p_email, daterange(p_arrive, p_depart, '[)')
      FROM cottages c
     WHERE c.id = p_cottage_id AND c.trust_id = p_trust_id
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
        RAISE EXCEPTION 'cottage % not found', p_cottage_id USING ERRCODE = 'P0002';
    END IF;
    RETURN v_id;
EXCEPTION
    WHEN exclusion_violation THEN
        RAISE EXCEPTION 'cottage % is already booked for some of those nights', p_cottage_id
              USING ERRCODE = 'CS409';
END;
$$;

-- Guest-facing availability calendar: confirmed stays for one cottage in a
-- bounded date range (the calendar shows at most 12 months).
CREATE OR REPLACE FUNCTION cottage_calendar(p_trust_id bigint, p_cottage_id bigint, p_from date)
RETURNS TABLE (arrive date, depart date)
LANGUAGE sql STABLE AS $$
    SELECT lower(nights), upper(nights)
      FROM cottage_stays
     WHERE trust_id = p_trust_id
       AND cottage_id = p_cottage_id
       AND status = 'confirmed'
       AND nights && daterange(p_from, p_from + 366, '[)')
     ORDER BY lower(nights)
     LIMIT 200;
$$;
