-- 0031_desk_holds.sql
-- Short-lived desk holds while a member is in checkout. One live hold per desk and day;
-- an expired hold can be taken over in place, and a pg_cron job purges old ones.

CREATE TABLE desk_holds (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id bigint      NOT NULL REFERENCES workspaces (id),
    desk_id      bigint      NOT NULL REFERENCES desks (id),
    member_id    bigint      NOT NULL REFERENCES members (id),
    day          date        NOT NULL,
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT desk_holds_desk_day UNIQUE (desk_id, day)
);

CREATE INDEX desk_holds_expires_at ON desk_holds (expires_at);

-- Returns the hold id, or NULL when somebody else holds the desk right now.
CREATE OR REPLACE FUNCTION take_desk_hold(p_workspace bigint, p_desk bigint, p_member bigint, p_day date)
RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO desk_holds AS h (workspace_id, desk_id, member_id, day)
    VALUES (p_workspace, p_desk, p_member, p_day)
    ON CONFLICT (desk_id, day) DO UPDATE
        SET member_id  = EXCLUDED.member_id,
            expires_at = now() + interval '15 minutes',
            created_at = now()
        WHERE h.expires_at < now()
    RETURNING h.id;
$$;

-- Batched purge so a backlog never turns into one huge DELETE holding locks.
CREATE OR REPLACE PROCEDURE purge_expired_desk_holds(p_batch int DEFAULT 5000)
LANGUAGE plpgsql AS $$
DECLARE
    n int;
BEGIN
    LOOP
        DELETE FROM desk_holds
        WHERE id IN (SELECT id
                     FROM desk_holds
                     WHERE expires_at < now() - interval '1 hour'
                     ORDER BY expires_at
                     LIMIT p_batch
                     FOR UPDATE SKIP LOCKED);
        GET DIAGNOSTICS n = ROW_COUNT;
        COMMIT;
        EXIT WHEN n < p_batch;
    END LOOP;
END;
$$;

SELECT cron.schedule('purge-desk-holds', '*/10 * * * *', $$CALL purge_expired_desk_holds()$$);
