-- migrations/20240911_coppice_place_holds.sql
-- Hawkwood Community Woodland: while a volunteer fills in the tool-safety
-- form for a coppicing day we hold their place for 15 minutes.

CREATE TABLE coppice_place_holds (
    day_id       int         NOT NULL REFERENCES coppice_days(id) ON DELETE CASCADE,
    volunteer_id int         NOT NULL REFERENCES volunteers(id),
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (day_id, volunteer_id)
);

CREATE INDEX coppice_place_holds_expires_idx ON coppice_place_holds (expires_at);

-- Takes or refreshes a hold. The day row is locked so the head count
-- (signed-up volunteers plus live holds) is checked and written atomically.
CREATE OR REPLACE FUNCTION hold_coppice_place(p_day_id int, p_volunteer_id int)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_capacity int;
    v_taken    int;
BEGIN
    SELECT capacity INTO v_capacity
      FROM coppice_days
     WHERE id = p_day_id AND starts_at > now()
       FOR UPDATE;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    SELECT (SELECT count(*) FROM coppice_signups s WHERE s.day_id = p_day_id)
         + (SELECT count(*) FROM coppice_place_holds h
             WHERE h.day_id = p_day_id AND h.expires_at > now()
               AND h.volunteer_id <> p_volunteer_id)
      INTO v_taken;

    IF v_taken >= v_capacity THEN
        RETURN false;
    END IF;

    INSERT INTO coppice_place_holds (day_id, volunteer_id, expires_at)
    VALUES (p_day_id, p_volunteer_id, now() + interval '15 minutes')
    ON CONFLICT (day_id, volunteer_id)
    DO UPDATE SET expires_at = EXCLUDED.expires_at;

    RETURN true;
END;
$$;

-- Expired holds are removed in batches so the delete never holds locks for long.
CREATE OR REPLACE FUNCTION purge_expired_coppice_holds(p_batch int DEFAULT 5000)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_deleted int;
BEGIN
    WITH doomed AS (
        SELECT ctid FROM coppice_place_holds
         WHERE expires_at < now() - interval '5 minutes'
         LIMIT p_batch
    )
    DELETE FROM coppice_place_holds h
     USING doomed d
     WHERE h.ctid = d.ctid;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

-- pg_cron is installed on the managed instance.
SELECT cron.schedule(
    'purge-expired-coppice-holds',
    '*/10 * * * *',
    $$SELECT purge_expired_coppice_holds()$$
);
