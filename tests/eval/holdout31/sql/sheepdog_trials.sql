-- Sheepdog trial entries: queries for the trials web app (sqlc, PostgreSQL).
-- Several trial societies share the database; every table carries society_id.

-- name: CreateEntry :one
INSERT INTO trial_entries (society_id, trial_id, handler_id, dog_name, dog_reg_no, class, fee_pence)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (trial_id, dog_reg_no, class) DO NOTHING
RETURNING id;

-- name: ListTrialEntries :many
SELECT e.id, e.dog_name, e.class, e.run_order, h.name AS handler
FROM trial_entries e
JOIN handlers h ON h.id = e.handler_id AND h.society_id = e.society_id
WHERE e.society_id = $1 AND e.trial_id = $2
ORDER BY e.class, e.run_order
LIMIT 200;

-- name: GetEntryForEdit :one
-- Used by the entry secretary's edit form (entry id comes from the URL).
SELECT e.id, e.trial_id, e.handler_id, e.dog_name, e.dog_reg_no, e.class, e.fee_pence, e.paid
FROM trial_entries e
WHERE e.id = $1;

-- name: SeasonStandings :many
-- Public standings page for a society; run on each page view.
SELECT h.id,
       h.name,
       count(DISTINCT r.trial_id)                         AS trials_run,
       sum(r.points)                                      AS points,
       round(avg(r.outrun + r.lift + r.fetch + r.drive + r.shed + r.pen), 1) AS avg_score,
       rank() OVER (ORDER BY sum(r.points) DESC)          AS position
FROM trial_runs r
JOIN trials   t ON t.id = r.trial_id AND t.society_id = r.society_id
JOIN handlers h ON h.id = r.handler_id AND h.society_id = r.society_id
WHERE r.society_id = $1
  AND t.season = $2
GROUP BY h.id, h.name
ORDER BY points DESC
LIMIT 50;

-- Judges' tablets call this after each run is scored.
CREATE OR REPLACE FUNCTION add_run_points(p_society int, p_handler bigint, p_season int, p_points int)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_total int;
BEGIN
    SELECT season_points INTO v_total
      FROM handler_seasons
     WHERE society_id = p_society AND handler_id = p_handler AND season = p_season;

    IF NOT FOUND THEN
        INSERT INTO handler_seasons (society_id, handler_id, season, season_points)
        VALUES (p_society, p_handler, p_season, 0)
        ON CONFLICT (society_id, handler_id, season) DO NOTHING;
        v_total := 0;
    END IF;

    UPDATE handler_seasons
       SET season_points = v_total + p_points,
           updated_at    = now()
     WHERE society_id = p_society AND handler_id = p_handler AND season = p_season;

    RETURN v_total + p_points;
END;
$$;
