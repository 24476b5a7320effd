-- 0031_payout_webhooks.sql
-- Installer payouts arrive from the payments provider as webhooks, sometimes
-- more than once. Record each event id before applying it, and serve the
-- installer leaderboard from a materialized view instead of live aggregates.

BEGIN;

CREATE TABLE processed_webhook_events (
    provider     text        NOT NULL,
    event_id     text        NOT NULL,
    event_type   text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

-- Apply a "payout.paid" event exactly once. Returns false for a duplicate delivery.
CREATE OR REPLACE FUNCTION apply_payout_event(
    p_event_id     text,
    p_installer_id bigint,
    p_job_id       bigint,
    p_amount_cents bigint
) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO processed_webhook_events (provider, event_id, event_type)
    VALUES ('payrail', p_event_id, 'payout.paid')
    ON CONFLICT (provider, event_id) DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;   -- already applied
    END IF;

    UPDATE install_jobs
       SET payout_status = 'paid', paid_at = now()
     WHERE id = p_job_id AND installer_id = p_installer_id;

    UPDATE installers
       SET lifetime_paid_cents = lifetime_paid_cents + p_amount_cents
     WHERE id = p_installer_id;

    RETURN true;
END;
$$;

-- Installer leaderboard (public "top installers in your county" widget).
CREATE MATERIALIZED VIEW installer_leaderboard AS
SELECT i.id            AS installer_id,
       i.display_name,
       i.county_code,
       count(j.id)                      AS installs_12m,
       coalesce(sum(j.system_kw), 0)    AS kw_installed_12m,
       (SELECT round(avg(r.stars), 2)
          FROM reviews r JOIN install_jobs rj ON rj.id = r.job_id
         WHERE rj.installer_id = i.id)  AS avg_rating
FROM installers i
LEFT JOIN install_jobs j
       ON j.installer_id = i.id
      AND j.status = 'commissioned'
      AND j.commissioned_at > now() - interval '12 months'
GROUP BY i.id, i.display_name, i.county_code
WITH NO DATA;

CREATE UNIQUE INDEX installer_leaderboard_pk ON installer_leaderboard (installer_id);
CREATE INDEX installer_leaderboard_county ON installer_leaderboard (county_code, kw_installed_12m DESC);

REFRESH MATERIALIZED VIEW installer_leaderboard;

COMMIT;

-- refresh every 30 minutes without blocking readers
SELECT cron.schedule('refresh-installer-leaderboard', '*/30 * * * *',
       $$REFRESH MATERIALIZED VIEW CONCURRENTLY installer_leaderboard$$);

-- what the API runs per request:
-- SELECT installer_id, display_name, installs_12m, kw_installed_12m, avg_rating
--   FROM installer_leaderboard WHERE county_code = $1
--  ORDER BY kw_installed_12m DESC LIMIT 10;
