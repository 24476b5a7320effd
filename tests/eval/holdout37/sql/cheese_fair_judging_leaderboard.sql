-- Cheese fair stall judging: sheets, leaderboard and the public scoreboard.
-- Several fairs use the same app; fair_id is on every table.
-- The scoreboard screen in the marquee refreshes every 20 seconds, so it reads
-- a materialized view that pg_cron rebuilds, not the raw judging sheets.

CREATE TABLE judging_sheets (
    fair_id     int         NOT NULL REFERENCES fairs(id),
    stall_id    int         NOT NULL REFERENCES stalls(id),
    judge_id    int         NOT NULL REFERENCES judges(id),
    criterion   text        NOT NULL CHECK (criterion IN ('flavour', 'texture', 'rind', 'aroma', 'presentation')),
    score       numeric(3,1) NOT NULL CHECK (score BETWEEN 0 AND 10),
    remarks     text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (fair_id, stall_id, judge_id, criterion)
);

-- A judge who corrects a score re-submits the sheet; the row is replaced.
-- name: submit_score
INSERT INTO judging_sheets (fair_id, stall_id, judge_id, criterion, score, remarks)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (fair_id, stall_id, judge_id, criterion)
DO UPDATE SET score = EXCLUDED.score,
              remarks = EXCLUDED.remarks,
              updated_at = now();

CREATE MATERIALIZED VIEW stall_standings AS
SELECT js.fair_id,
       js.stall_id,
       s.stall_name,
       s.category,
       round(avg(js.score) FILTER (WHERE js.criterion = 'flavour'), 2) AS flavour,
       round(avg(js.score), 2)                                         AS overall,
       count(DISTINCT js.judge_id)                                     AS judges,
       rank() OVER (PARTITION BY js.fair_id, s.category
                    ORDER BY avg(js.score) DESC)                       AS category_rank
FROM judging_sheets js
JOIN stalls s ON s.id = js.stall_id AND s.fair_id = js.fair_id
GROUP BY js.fair_id, js.stall_id, s.stall_name, s.category;

-- CONCURRENTLY needs a unique index; readers are never blocked by a refresh.
CREATE UNIQUE INDEX stall_standings_pk ON stall_standings (fair_id, stall_id);

SELECT cron.schedule(
    'refresh-stall-standings',
    '* * * * *',
    $$REFRESH MATERIALIZED VIEW CONCURRENTLY stall_standings$$
);

-- name: scoreboard_top
-- Marquee screen: top ten in a category for today's fair.
SELECT stall_name, overall, judges, category_rank
FROM stall_standings
WHERE fair_id = $1 AND category = $2
ORDER BY category_rank
LIMIT 10;

-- name: stall_sheet
-- Judge's tablet: their own marks for one stall.
SELECT criterion, score, remarks, updated_at
FROM judging_sheets
WHERE fair_id = $1 AND stall_id = $2 AND judge_id = $3
ORDER BY criterion
LIMIT 5;
