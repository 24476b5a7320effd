-- 0052_fitting_outcomes_rollup.sql
-- The clinic dashboard shows fitting outcomes per audiologist and month
-- (fittings done, returns within the 45-day trial, average follow-up visits).
-- Computing that from fittings + follow_ups on each page view took seconds for
-- the large clinics, so the numbers are rolled up once a night and the
-- dashboard reads the small summary table instead.

CREATE TABLE fitting_outcomes_monthly (
    clinic_id        bigint  NOT NULL,
    audiologist_id   bigint  NOT NULL,
    month            date    NOT NULL,
    fittings         integer NOT NULL,
    trial_returns    integer NOT NULL,
    avg_follow_ups   numeric(4,2) NOT NULL,
    refreshed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, month, audiologist_id)
);

-- Recomputes the current and previous month only (late follow-ups can still
-- land in last month); older months are final.
CREATE OR REPLACE FUNCTION refresh_fitting_outcomes()
RETURNS void
LANGUAGE sql
AS $$
    INSERT INTO fitting_outcomes_monthly AS t
           (clinic_id, audiologist_id, month, fittings, trial_returns, avg_follow_ups, refreshed_at)
    SELECT f.clinic_id,
           f.audiologist_id,
           date_trunc('month', f.fitted_at)::date,
           count(*),
           count(*) FILTER (WHERE f.returned_at IS NOT NULL
                              AND f.returned_at < f.fitted_at + interval '45 days'),
           coalesce(avg(fu.visits), 0),
           now()
      FROM fittings f
      LEFT JOIN LATERAL (
             SELECT count(*) AS visits
               FROM follow_ups u
              WHERE u.fitting_id = f.id
           ) fu ON true
     WHERE f.fitted_at >= date_trunc('month', now()) - interval '1 month'
     GROUP BY f.clinic_id, f.audiologist_id, date_trunc('month', f.fitted_at)
    ON CONFLICT (clinic_id, month, audiologist_id) DO UPDATE
       SET fittings       = EXCLUDED.fittings,
           trial_returns  = EXCLUDED.trial_returns,
           avg_follow_ups = EXCLUDED.avg_follow_ups,
           refreshed_at   = EXCLUDED.refreshed_at;
$$;

-- 02:30 every night, after the practice-management import finishes.
SELECT cron.schedule('refresh-fitting-outcomes', '30 2 * * *',
                     $$SELECT refresh_fitting_outcomes()$$);

-- Dashboard query (clinic id from the session, last 12 months).
-- name: ClinicOutcomes :many
SELECT o.month,
       a.display_name,
       o.fittings,
       o.trial_returns,
       round(100.0 * o.trial_returns / nullif(o.fittings, 0), 1) AS return_pct,
       o.avg_follow_ups
  FROM fitting_outcomes_monthly o
  JOIN audiologists a ON a.id = o.audiologist_id AND a.clinic_id = o.clinic_id
 WHERE o.clinic_id = $1
   AND o.month >= date_trunc('month', now()) - interval '11 months'
 ORDER BY o.month DESC, a.display_name
 LIMIT 500;
