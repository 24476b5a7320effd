-- leaderboard functions for the game API (Postgres 15)
-- lb_player_card() backs GET /v2/players/{id}/card, which the client calls every
-- time the main menu opens (~1.2k rps at peak). match_results has ~900M rows.

CREATE OR REPLACE FUNCTION lb_player_card(p_player_id uuid, p_season int)
RETURNS TABLE (player_id uuid, nickname text, total_xp bigint, wins int, global_rank bigint, percentile numeric)
LANGUAGE sql STABLE AS $$
    WITH season_totals AS (
        SELECT mr.player_id,
               SUM(mr.xp_gained)                    AS total_xp,
               COUNT(*) FILTER (WHERE mr.placement = 1) AS wins
          FROM match_results mr
         WHERE mr.season = p_season
         GROUP BY mr.player_id
    ), ranked AS (
        SELECT st.*,
               RANK()         OVER (ORDER BY st.total_xp DESC) AS global_rank,
               PERCENT_RANK() OVER (ORDER BY st.total_xp DESC) AS pr
          FROM season_totals st
    )
    SELECT r.player_id, p.nickname, r.total_xp, r.wins::int, r.global_rank,
           round((1 - r.pr)::numeric * 100, 1)
      FROM ranked r
      JOIN players p ON p.id = r.player_id
     WHERE r.player_id = p_player_id;
$$;

-- record_match() is called by the match server at the end of each match
CREATE OR REPLACE FUNCTION record_match(p_match_id uuid, p_results jsonb)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    WITH ins AS (
        INSERT INTO match_results (match_id, player_id, season, placement, xp_gained, finished_at)
        SELECT p_match_id,
               (r ->> 'player_id')::uuid,
               (SELECT id FROM seasons WHERE now() BETWEEN starts_at AND ends_at),
               (r ->> 'placement')::int,
               (r ->> 'xp')::bigint,
               now()
          FROM jsonb_array_elements(p_results) AS r
        ON CONFLICT (match_id, player_id) DO NOTHING
        RETURNING player_id, xp_gained
    )
    UPDATE players pl
       SET lifetime_xp = pl.lifetime_xp + ins.xp_gained
      FROM ins
     WHERE pl.id = ins.player_id;

    RETURN true;
EXCEPTION
    WHEN others THEN
        RETURN false;
END;
$$;
