package stats

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

type Stats struct {
	DB    *pgxpool.Pool
	Redis *redis.Client
	group singleflight.Group
}

type genreCount struct {
	Genre string `json:"genre"`
	Plays int64  `json:"plays"`
}

func (s *Stats) topGenres(ctx context.Context) ([]genreCount, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT g.name, COUNT(*) AS plays
		FROM plays p JOIN tracks t ON t.id = p.track_id JOIN genres g ON g.id = t.genre_id
		WHERE p.played_at > now() - interval '7 days'
		GROUP BY g.name ORDER BY plays DESC LIMIT 20`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []genreCount
	for rows.Next() {
		var g genreCount
		if err := rows.Scan(&g.Genre, &g.Plays); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// TopGenres: cache-aside, 5 minutes.
func (s *Stats) TopGenres(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if b, err := s.Redis.Get(ctx, "stats:top-genres").Bytes(); err == nil {
		w.Write(b)
		return
	}
	genres, err := s.topGenres(ctx)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b, _ := json.Marshal(genres)
	s.Redis.Set(ctx, "stats:top-genres", b, 5*time.Minute)
	w.Write(b)
}

// TopGenresShared: one recompute per expiry, however many requests miss.
func (s *Stats) TopGenresShared(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if b, err := s.Redis.Get(ctx, "stats:top-genres:v2").Bytes(); err == nil {
		w.Write(b)
		return
	}
	v, err, _ := s.group.Do("top-genres", func() (any, error) {
		genres, err := s.topGenres(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		b, _ := json.Marshal(genres)
		s.Redis.Set(ctx, "stats:top-genres:v2", b, 5*time.Minute)
		return b, nil
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(v.([]byte))
}
