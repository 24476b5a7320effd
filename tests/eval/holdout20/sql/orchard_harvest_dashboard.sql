-- Orchard manager dashboard queries (PostgreSQL 15).
-- Used by GET /orchards/:orchard_id/overview in the web app; the page is the
-- landing screen for managers and pickers' team leads and reloads on every visit.
--
-- harvest_logs: one row per bin weighed at the packing shed, ~40k rows per
-- orchard per season, kept for all seasons since 2016.
-- Tables are shared across all client orchards (orchard_id on every row).

-- :name overview_season_summary
-- Season-by-season yield per variety and block, with year-over-year change.
SELECT s.season_year,
       b.variety,
       b.block_code,
       sum(h.net_kg)                                   AS total_kg,
       sum(h.net_kg) / nullif(b.area_ha, 0)            AS kg_per_ha,
       count(DISTINCT h.picker_id)                     AS pickers,
       avg(h.brix)                                     AS avg_brix,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY h.net_kg) AS median_bin_kg,
       sum(h.net_kg) FILTER (WHERE h.grade = 'export') * 100.0
           / nullif(sum(h.net_kg), 0)                  AS export_pct,
       sum(h.net_kg) - lag(sum(h.net_kg)) OVER (
           PARTITION BY b.variety, b.block_code ORDER BY s.season_year
       )                                               AS change_vs_prev_kg
FROM harvest_logs h
JOIN blocks  b ON b.id = h.block_id
JOIN seasons s ON h.picked_at >= s.starts_on AND h.picked_at < s.ends_on
WHERE h.orchard_id = :orchard_id
GROUP BY s.season_year, b.variety, b.block_code, b.area_ha
ORDER BY s.season_year DESC, b.variety, b.block_code;

-- :name overview_today
-- Bins weighed today, for the live counter at the top of the page.
SELECT count(*)                 AS bins_today,
       coalesce(sum(net_kg), 0) AS kg_today
FROM harvest_logs
WHERE orchard_id = :orchard_id
  AND picked_at >= date_trunc('day', now());

-- :name overview_top_pickers
-- Leaderboard shown to team leads: best pickers over the last 7 days.
SELECT p.id,
       p.display_name,
       sum(h.net_kg)   AS kg_7d,
       count(*)        AS bins_7d
FROM harvest_logs h
JOIN pickers p ON p.id = h.picker_id
WHERE h.picked_at >= now() - interval '7 days'
GROUP BY p.id, p.display_name
ORDER BY kg_7d DESC
LIMIT 20;

-- :name overview_open_quality_flags
SELECT q.id, q.bin_tag, q.reason, q.raised_at
FROM quality_flags q
WHERE q.orchard_id = :orchard_id
  AND q.resolved_at IS NULL
ORDER BY q.raised_at DESC
LIMIT 50;
