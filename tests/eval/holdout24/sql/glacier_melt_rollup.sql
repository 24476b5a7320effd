-- 0031_melt_hourly_rollup.sql
-- The public melt dashboard used to aggregate melt_readings (one row per stake per
-- 10 minutes, ~40 stakes) on every page view. It now reads an hourly rollup that
-- a scheduled job keeps up to date; raw readings are kept for two years.

CREATE TABLE melt_hourly (
    device_eui      text        NOT NULL,
    hour            timestamptz NOT NULL,
    ablation_mm     double precision NOT NULL,   -- surface lowering during the hour
    mean_air_temp_c double precision,
    samples         integer     NOT NULL,
    PRIMARY KEY (device_eui, hour)
);

-- Re-aggregate the last few hours (late uplinks arrive up to ~3 h after measurement).
CREATE OR REPLACE PROCEDURE refresh_melt_hourly(p_lookback interval DEFAULT interval '6 hours')
LANGUAGE sql AS $$
    INSERT INTO melt_hourly (device_eui, hour, ablation_mm, mean_air_temp_c, samples)
    SELECT device_eui,
           date_trunc('hour', measured_at),
           max(ablation_mm) - min(ablation_mm),
           avg(air_temp_c),
           count(*)
    FROM melt_readings
    WHERE measured_at >= date_trunc('hour', now() - p_lookback)
    GROUP BY device_eui, date_trunc('hour', measured_at)
    ON CONFLICT (device_eui, hour) DO UPDATE
        SET ablation_mm     = EXCLUDED.ablation_mm,
            mean_air_temp_c = EXCLUDED.mean_air_temp_c,
            samples         = EXCLUDED.samples;
$$;

SELECT cron.schedule('melt-hourly-rollup', '7,37 * * * *', $$CALL refresh_melt_hourly()$$);

-- Raw readings older than two years are dropped nightly; the rollup keeps the history.
SELECT cron.schedule(
    'melt-readings-retention',
    '15 3 * * *',
    $$DELETE FROM melt_readings WHERE measured_at < now() - interval '2 years'$$
);

-- Dashboard: one stake's daily melt for the selected window (default last 30 days).
-- :device_eui, :from and :to come from the chart controls; the API caps the window at 366 days.
SELECT date_trunc('day', hour)  AS day,
       sum(ablation_mm)         AS melt_mm,
       avg(mean_air_temp_c)     AS air_temp_c
FROM melt_hourly
WHERE device_eui = :device_eui
  AND hour >= :from
  AND hour <  :to
GROUP BY 1
ORDER BY 1
LIMIT 366;

-- Dashboard: latest reading per stake for the map markers.
SELECT DISTINCT ON (device_eui)
       device_eui, hour, ablation_mm, mean_air_temp_c
FROM melt_hourly
WHERE hour >= now() - interval '2 days'
ORDER BY device_eui, hour DESC
LIMIT 100;
