// Package charts serves the "Top 50" charts and per-listener recommendations.
package charts

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jmoiron/sqlx"
	"golang.org/x/sync/singleflight"
)

type ChartEntry struct {
	Rank    int    `db:"rank" json:"rank"`
	TrackID int64  `db:"track_id" json:"track_id"`
	Title   string `db:"title" json:"title"`
	Artist  string `db:"artist" json:"artist"`
	Plays   int64  `db:"plays" json:"plays"`
}

type Service struct {
	db *sqlx.DB

	// genre slug -> id, loaded once in NewService and read-only afterwards
	genres map[string]int64

	charts *expirable.LRU[string, []ChartEntry]
	recs   *expirable.LRU[string, []int64]
	group  singleflight.Group
}

func NewService(ctx context.Context, db *sqlx.DB) (*Service, error) {
	s := &Service{
		db:     db,
		genres: make(map[string]int64),
		charts: expirable.NewLRU[string, []ChartEntry](256, nil, 5*time.Minute),
		recs:   expirable.NewLRU[string, []int64](50_000, nil, 30*time.Minute),
	}
	rows, err := db.QueryxContext(ctx, `SELECT slug, id FROM genres`)
	if err != nil {
		return nil, fmt.Errorf("load genres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var slug string
		var id int64
		if err := rows.Scan(&slug, &id); err != nil {
			return nil, err
		}
		s.genres[slug] = id
	}
	return s, rows.Err()
}

// TopChart returns the top 50 tracks of the last 24h for a genre and country.
// Same for every listener, so the key has no user in it; concurrent misses are
// collapsed into a single query.
func (s *Service) TopChart(ctx context.Context, genre, country string) ([]ChartEntry, error) {
	genreID, ok := s.genres[genre]
	if !ok {
		return nil, fmt.Errorf("unknown genre %q", genre)
	}
	key := fmt.Sprintf("top50:%d:%s", genreID, country)
	if v, ok := s.charts.Get(key); ok {
		return v, nil
	}
	v, err, _ := s.group.Do(key, func() (any, error) {
		if v, ok := s.charts.Get(key); ok {
			return v, nil
		}
		qctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var entries []ChartEntry
		err := s.db.SelectContext(qctx, &entries, `
			SELECT row_number() OVER (ORDER BY sum(p.play_count) DESC) AS rank,
			       t.id AS track_id, t.title, a.name AS artist, sum(p.play_count) AS plays
			  FROM hourly_play_counts p
			  JOIN tracks t  ON t.id = p.track_id
			  JOIN artists a ON a.id = t.artist_id
			 WHERE p.hour >= now() - interval '24 hours'
			   AND t.genre_id = $1 AND p.country = $2
			 GROUP BY t.id, t.title, a.name
			 ORDER BY plays DESC
			 LIMIT 50`, genreID, country)
		if err != nil {
			return nil, err
		}
		s.charts.Add(key, entries)
		return entries, nil
	})
	if err != nil {
		slog.Error("top chart", "genre", genre, "country", country, "err", err)
		return nil, err
	}
	return v.([]ChartEntry), nil
}

// Recommendations are computed from the listener's own history, so they are
// cached per listener (bounded LRU, 30 min TTL).
func (s *Service) Recommendations(ctx context.Context, listenerID int64) ([]int64, error) {
	key := fmt.Sprintf("recs:%d", listenerID)
	if v, ok := s.recs.Get(key); ok {
		return v, nil
	}
	var ids []int64
	err := s.db.SelectContext(ctx, &ids, `
		SELECT track_id FROM listener_recommendations
		 WHERE listener_id = $1
		 ORDER BY score DESC
		 LIMIT 30`, listenerID)
	if err != nil {
		return nil, fmt.Errorf("recommendations for %d: %w", listenerID, err)
	}
	s.recs.Add(key, ids)
	return ids, nil
}
