package seedbank

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

type VarietyCount struct {
	Variety string `db:"variety" json:"variety"`
	Packets int    `db:"packets" json:"packets"`
}

// NetworkStats is the "this season across the network" panel shown at the top
// of every member's dashboard.
type NetworkStats struct {
	Season        string         `json:"season"`
	PacketsSent   int            `json:"packets_sent"`
	ActiveGrowers int            `json:"active_growers"`
	TopVarieties  []VarietyCount `json:"top_varieties"`
	ComputedAt    time.Time      `json:"computed_at"`
}

type DashboardHandler struct {
	DB *sqlx.DB
}

var (
	statsMu    sync.RWMutex
	statsCache = map[string]NetworkStats{}
)

func (h *DashboardHandler) Stats(w http.ResponseWriter, r *http.Request) {
	userID, ok := r.Context().Value(ctxUserID).(int64)
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	season := currentSeason(time.Now())
	key := fmt.Sprintf("netstats:%d:%s", userID, season)

	statsMu.RLock()
	stats, hit := statsCache[key]
	statsMu.RUnlock()

	if !hit {
		ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
		defer cancel()
		var err error
		stats, err = h.computeStats(ctx, season)
		if err != nil {
			http.Error(w, "stats unavailable", http.StatusServiceUnavailable)
			return
		}
		statsMu.Lock()
		statsCache[key] = stats
		statsMu.Unlock()
	}

	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(stats)
}

func (h *DashboardHandler) computeStats(ctx context.Context, season string) (NetworkStats, error) {
	s := NetworkStats{Season: season, ComputedAt: time.Now()}
	err := h.DB.QueryRowxContext(ctx, `
		SELECT count(*) AS packets_sent, count(DISTINCT requester_id) AS active_growers
		FROM seed_requests
		WHERE season = $1 AND status = 'shipped'`, season,
	).Scan(&s.PacketsSent, &s.ActiveGrowers)
	if err != nil {
		return s, fmt.Errorf("totals: %w", err)
	}
	err = h.DB.SelectContext(ctx, &s.TopVarieties, `
		SELECT v.name AS variety, count(*) AS packets
		FROM seed_requests r
		JOIN varieties v ON v.id = r.variety_id
		WHERE r.season = $1 AND r.status = 'shipped'
		GROUP BY v.name
		ORDER BY packets DESC
		LIMIT 10`, season)
	if err != nil {
		return s, fmt.Errorf("top varieties: %w", err)
	}
	return s, nil
}

func currentSeason(t time.Time) string {
	// Seed swaps run autumn to autumn: requests from October count toward the
	// following year's growing season.
	if t.Month() >= time.October {
		return fmt.Sprintf("%d", t.Year()+1)
	}
	return fmt.Sprintf("%d", t.Year())
}
