-- 0019_short_links.sql
-- Short links with optional expiry, plus click analytics.

CREATE EXTENSION IF NOT EXISTS pg_cron;

CREATE TABLE short_links (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id bigint      NOT NULL REFERENCES workspaces (id),
    code        text        NOT NULL,
    target_url  text        NOT NULL CHECK (target_url ~ '^https?://'),
    created_by  bigint      NOT NULL REFERENCES users (id),
    expires_at  timestamptz,               -- NULL = never expires
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT short_links_code_key UNIQUE (code)
);

CREATE INDEX short_links_workspace_idx ON short_links (workspace_id, created_at DESC);
CREATE INDEX short_links_expires_idx   ON short_links (expires_at) WHERE expires_at IS NOT NULL;

-- Click events: range-partitioned by month, old partitions are dropped by
-- the retention job below (13 months kept for year-over-year charts).
CREATE TABLE link_clicks (
    link_id     bigint      NOT NULL,
    clicked_at  timestamptz NOT NULL,
    country     char(2),
    referrer    text,
    user_agent  text
) PARTITION BY RANGE (clicked_at);

CREATE TABLE link_clicks_2024_06 PARTITION OF link_clicks
    FOR VALUES FROM ('2024-06-01') TO ('2024-07-01');
CREATE TABLE link_clicks_2024_07 PARTITION OF link_clicks
    FOR VALUES FROM ('2024-07-01') TO ('2024-08-01');

CREATE INDEX link_clicks_link_time_idx ON link_clicks (link_id, clicked_at);

-- Daily rollup read by the dashboard instead of scanning link_clicks.
CREATE TABLE link_clicks_daily (
    link_id  bigint NOT NULL,
    day      date   NOT NULL,
    clicks   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (link_id, day)
);

-- Housekeeping -------------------------------------------------------------

-- expired links are kept 30 days (so "this link has expired" can still be shown), then deleted
SELECT cron.schedule(
    'purge-expired-short-links',
    '15 * * * *',
    $$DELETE FROM short_links WHERE expires_at < now() - interval '30 days'$$
);

-- roll up yesterday's clicks
SELECT cron.schedule(
    'rollup-link-clicks',
    '5 0 * * *',
    $$INSERT INTO link_clicks_daily (link_id, day, clicks)
      SELECT link_id, clicked_at::date, count(*)
        FROM link_clicks
       WHERE clicked_at >= current_date - 1 AND clicked_at < current_date
       GROUP BY 1, 2
      ON CONFLICT (link_id, day) DO UPDATE SET clicks = EXCLUDED.clicks$$
);

-- drop click partitions older than 13 months (partman-style helper from 0011)
SELECT cron.schedule(
    'drop-old-click-partitions',
    '0 3 1 * *',
    $$SELECT drop_partitions_older_than('link_clicks', interval '13 months')$$
);
