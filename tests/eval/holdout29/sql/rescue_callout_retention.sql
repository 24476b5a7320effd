-- 0031_callout_acks_and_dashboard.sql  (PostgreSQL 16 + pg_cron)
-- Mountain rescue call-outs: members acknowledge a page from the radio app;
-- an ack "holds" a seat in the team Land Rover for 15 minutes.

CREATE TABLE callout_acks (
    callout_id   bigint      NOT NULL REFERENCES callouts(id),
    member_id    bigint      NOT NULL REFERENCES team_members(id),
    vehicle      text        NOT NULL,           -- 'LR1', 'LR2', 'control'
    acked_at     timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '15 minutes',
    PRIMARY KEY (callout_id, member_id)
);
CREATE INDEX callout_acks_expires_idx ON callout_acks (expires_at);

-- Lapsed acks are removed every five minutes; the partial history is kept in
-- callout_log by the app, so nothing here needs to live long.
SELECT cron.schedule(
    'purge-expired-callout-acks',
    '*/5 * * * *',
    $$DELETE FROM callout_acks WHERE expires_at < now() - interval '1 hour'$$
);

-- Check-in statistics for the coordinator dashboard are precomputed; the
-- dashboard reads the materialized view, never radio_checkins directly.
CREATE MATERIALIZED VIEW team_checkin_daily AS
SELECT team_id,
       date_trunc('day', received_at)::date              AS day,
       count(*)                                         AS checkins,
       count(*) FILTER (WHERE status = 'assist')        AS assist_calls,
       max(received_at)                                 AS last_checkin
  FROM radio_checkins
 WHERE received_at >= now() - interval '90 days'
 GROUP BY team_id, date_trunc('day', received_at)::date;

CREATE UNIQUE INDEX team_checkin_daily_pk ON team_checkin_daily (team_id, day);

SELECT cron.schedule(
    'refresh-team-checkin-daily',
    '*/10 * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY team_checkin_daily$$
);

-- Dashboard query: last fortnight for one team.
SELECT day, checkins, assist_calls, last_checkin
  FROM team_checkin_daily
 WHERE team_id = $1
   AND day >= current_date - 14
 ORDER BY day DESC
 LIMIT 15;

-- Seats currently held for a call-out (live acks only).
SELECT vehicle, count(*) AS seats_held
  FROM callout_acks
 WHERE callout_id = $1
   AND expires_at > now()
 GROUP BY vehicle;
