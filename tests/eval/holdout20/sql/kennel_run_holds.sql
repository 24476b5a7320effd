-- Migration 0009: temporary holds on kennel runs while an owner completes the
-- boarding form (vaccination upload, feeding notes, deposit). PostgreSQL 15
-- with btree_gist and pg_cron enabled.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE run_holds (
    id          bigserial PRIMARY KEY,
    kennel_id   bigint      NOT NULL REFERENCES kennels(id),
    run_id      bigint      NOT NULL REFERENCES runs(id),
    owner_id    bigint      NOT NULL,
    stay        daterange   NOT NULL,
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX run_holds_expires_idx ON run_holds (expires_at);

-- A run cannot be confirmed for overlapping nights twice; the database
-- rejects the second booking instead of the app checking first.
CREATE TABLE run_bookings (
    id          bigserial PRIMARY KEY,
    kennel_id   bigint    NOT NULL REFERENCES kennels(id),
    run_id      bigint    NOT NULL REFERENCES runs(id),
    dog_id      bigint    NOT NULL,
    stay        daterange NOT NULL,
    status      text      NOT NULL DEFAULT 'confirmed',
    EXCLUDE USING gist (run_id WITH =, stay WITH &&) WHERE (status = 'confirmed')
);

-- Availability grid for one kennel and one month (front-desk calendar).
CREATE OR REPLACE FUNCTION run_availability(p_kennel_id bigint, p_month date)
RETURNS TABLE (run_id bigint, run_name text, night date, taken boolean)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.name, d::date,
           EXISTS (SELECT 1 FROM run_bookings b
                   WHERE b.run_id = r.id AND b.kennel_id = p_kennel_id
                     AND b.status = 'confirmed' AND b.stay @> d::date)
        OR EXISTS (SELECT 1 FROM run_holds h
                   WHERE h.run_id = r.id AND h.kennel_id = p_kennel_id
                     AND h.expires_at > now() AND h.stay @> d::date)
    FROM runs r
    CROSS JOIN generate_series(p_month, p_month + interval '1 month' - interval '1 day', interval '1 day') AS d
    WHERE r.kennel_id = p_kennel_id
    ORDER BY r.name, d;
$$;

-- Expired holds are removed every five minutes in batches of 5,000 so the
-- table stays small and the delete never holds long locks.
CREATE OR REPLACE PROCEDURE purge_expired_run_holds()
LANGUAGE plpgsql AS $$
DECLARE
    v_deleted int;
BEGIN
    LOOP
        DELETE FROM run_holds
        WHERE id IN (
            SELECT id FROM run_holds
            WHERE expires_at < now() - interval '1 minute'
            ORDER BY expires_at
            LIMIT 5000
        );
        GET DIAGNOSTICS v_deleted = ROW_COUNT;
        COMMIT;
        EXIT WHEN v_deleted < 5000;
    END LOOP;
END;
$$;

SELECT cron.schedule('purge-expired-run-holds', '*/5 * * * *', 'CALL purge_expired_run_holds()');
