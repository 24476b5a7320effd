-- footfall_reports.sql
-- Model-railway exhibition visitor stats. The heavy aggregation runs once a
-- night from pg_cron into layout_daily_footfall; the organiser dashboard only
-- ever reads the small summary table.

CREATE TABLE IF NOT EXISTS layout_daily_footfall (
    organiser_id   bigint  NOT NULL,
    show_id        bigint  NOT NULL,
    layout_id      bigint  NOT NULL,
    day            date    NOT NULL,
    scans          integer NOT NULL,
    unique_visitors integer NOT NULL,
    peak_hour      smallint,
    PRIMARY KEY (organiser_id, show_id, layout_id, day)
);

-- 1) nightly roll-up of yesterday's badge scans (gate + layout NFC tags)
CREATE OR REPLACE PROCEDURE rollup_layout_footfall(p_day date DEFAULT current_date - 1)
LANGUAGE sql AS $$
    INSERT INTO layout_daily_footfall
           (organiser_id, show_id, layout_id, day, scans, unique_visitors, peak_hour)
    SELECT s.organiser_id, s.show_id, s.layout_id, p_day,
           count(*),
           count(DISTINCT s.badge_id),
           mode() WITHIN GROUP (ORDER BY extract(hour FROM s.scanned_at))::smallint
    FROM badge_scans s
    WHERE s.scanned_at >= p_day
      AND s.scanned_at <  p_day + 1
      AND s.layout_id IS NOT NULL
    GROUP BY s.organiser_id, s.show_id, s.layout_id
    ON CONFLICT (organiser_id, show_id, layout_id, day)
    DO UPDATE SET scans           = EXCLUDED.scans,
                  unique_visitors = EXCLUDED.unique_visitors,
                  peak_hour       = EXCLUDED.peak_hour;
$$;

SELECT cron.schedule('layout-footfall-rollup', '15 2 * * *', $$CALL rollup_layout_footfall()$$);

-- 2) dashboard: top layouts for a show (reads the roll-up, paginated)
-- params: $1 organiser_id, $2 show_id, $3 page size, $4 offset
SELECT l.id, l.name, l.gauge, c.club_name,
       sum(f.scans)           AS scans,
       sum(f.unique_visitors) AS visitors
FROM layout_daily_footfall f
JOIN layouts l ON l.id = f.layout_id AND l.organiser_id = f.organiser_id
JOIN clubs   c ON c.id = l.club_id
WHERE f.organiser_id = $1
  AND f.show_id = $2
GROUP BY l.id, l.name, l.gauge, c.club_name
ORDER BY visitors DESC
LIMIT $3 OFFSET $4;

-- 3) gauge lookup for the layout card (gauges is a global reference table:
--    'OO', 'N', 'HO', 'G' ... — no organiser column)
SELECT code, scale_ratio, track_width_mm, description
FROM gauges
WHERE code = $1;

-- 4) per-layout daily chart for one show (at most ~4 rows: show days)
SELECT day, scans, unique_visitors, peak_hour
FROM layout_daily_footfall
WHERE organiser_id = $1 AND show_id = $2 AND layout_id = $3
ORDER BY day;
