package api

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Tournament leaderboard service. The overlay in the stream polls
// GET /tournaments/{slug}/leaderboard every 5 seconds for each viewer.

type standing struct {
	TeamID     int64   `json:"team_id"`
	TeamName   string  `json:"team_name"`
	Played     int     `json:"played"`
	Wins       int     `json:"wins"`
	Kills      int     `json:"kills"`
	Points     int     `json:"points"`
	AvgPlace   float64 `json:"avg_place"`
}

func Router() http.Handler {
	r := chi.NewRouter()
	r.Get("/tournaments/{slug}/leaderboard", leaderboard)
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	return r
}

func leaderboard(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")

	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	rows, err := db.QueryContext(r.Context(), `
		SELECT t.id, t.name,
		       COUNT(DISTINCT mr.match_id)                         AS played,
		       COUNT(*) FILTER (WHERE mr.placement = 1)             AS wins,
		       COALESCE(SUM(mr.kills), 0)                           AS kills,
		       COALESCE(SUM(mr.kills + pp.points), 0)               AS points,
		       AVG(mr.placement)::float8                            AS avg_place
		  FROM teams t
		  JOIN tournament_entries te ON te.team_id = t.id
		  JOIN tournaments tn        ON tn.id = te.tournament_id AND tn.slug = $1
		  LEFT JOIN match_results mr ON mr.team_id = t.id AND mr.tournament_id = tn.id
		  LEFT JOIN placement_points pp ON pp.placement = mr.placement
		 GROUP BY t.id, t.name
		 ORDER BY points DESC, wins DESC
		 LIMIT 100`, slug)
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	var out []standing
	for rows.Next() {
		var s standing
		if err := rows.Scan(&s.TeamID, &s.TeamName, &s.Played, &s.Wins, &s.Kills, &s.Points, &s.AvgPlace); err != nil {
			http.Error(w, "scan failed", http.StatusInternalServerError)
			return
		}
		out = append(out, s)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
