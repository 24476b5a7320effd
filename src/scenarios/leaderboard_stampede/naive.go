package leaderboard

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
)

type Server struct {
	DB    *sqlx.DB
	Redis *redis.Client
}

type Entry struct {
	Name  string `db:"name" json:"name"`
	Score int64  `db:"score" json:"score"`
}

const weeklySQL = `
	SELECT p.name, SUM(s.points) AS score
	FROM scores s JOIN players p ON p.id = s.player_id
	WHERE s.created_at > now() - interval '7 days'
	GROUP BY p.id, p.name ORDER BY score DESC LIMIT 100`

func (s *Server) weeklyLeaderboard(ctx context.Context) ([]byte, error) {
	var entries []Entry
	if err := s.DB.SelectContext(ctx, &entries, weeklySQL); err != nil {
		return nil, err
	}
	return json.Marshal(entries)
}

func (s *Server) Leaderboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := s.Redis.Get(ctx, "leaderboard:weekly").Bytes()
	if err != nil {
		body, err = s.weeklyLeaderboard(ctx)
		if err != nil {
			http.Error(w, "leaderboard unavailable", http.StatusServiceUnavailable)
			return
		}
		s.Redis.Set(ctx, "leaderboard:weekly", body, 5*time.Minute)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}
