package orchard

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// PruningDay is a community orchard work party: which trees get the winter
// prune, who leads it, and how many loppers are available to borrow.
type PruningDay struct {
	Date      time.Time `db:"day" json:"date"`
	Block     string    `db:"block" json:"block"`
	TreeCount int       `db:"tree_count" json:"tree_count"`
	LeadName  string    `db:"lead_name" json:"lead_name"`
	Loppers   int       `db:"loppers" json:"loppers_available"`
}

type cachedCalendar struct {
	days    []PruningDay
	expires time.Time
}

var (
	calendarMu    sync.RWMutex
	calendarCache = make(map[string]cachedCalendar)
)

const calendarTTL = 10 * time.Minute

type CalendarHandler struct {
	db *sqlx.DB
}

type userKey struct{}

func currentUserID(r *http.Request) int64 {
	id, _ := r.Context().Value(userKey{}).(int64)
	return id
}

// GET /calendar?season=2024-25 — the season's pruning days, shown on every
// member's home screen.
func (h *CalendarHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	season := r.URL.Query().Get("season")
	if season == "" {
		season = currentSeason(time.Now())
	}
	key := fmt.Sprintf("%d:%s", currentUserID(r), season)

	calendarMu.RLock()
	entry, ok := calendarCache[key]
	calendarMu.RUnlock()

	if !ok || time.Now().After(entry.expires) {
		days, err := h.loadSeason(r.Context(), season)
		if err != nil {
			log.Printf("pruning calendar %s: %v", season, err)
			http.Error(w, "calendar unavailable", http.StatusServiceUnavailable)
			return
		}
		entry = cachedCalendar{days: days, expires: time.Now().Add(calendarTTL)}
		calendarMu.Lock()
		calendarCache[key] = entry
		calendarMu.Unlock()
	}

	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(entry.days); err != nil {
		log.Printf("encode calendar: %v", err)
	}
}

func (h *CalendarHandler) loadSeason(parent context.Context, season string) ([]PruningDay, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	defer cancel()

	var days []PruningDay
	err := h.db.SelectContext(ctx, &days, `
		SELECT d.day, d.block, d.tree_count, m.display_name AS lead_name, d.loppers
		  FROM pruning_days d
		  JOIN members m ON m.id = d.lead_member_id
		 WHERE d.season = $1
		 ORDER BY d.day
		 LIMIT 60`, season)
	return days, err
}

// Seasons run September to August.
func currentSeason(now time.Time) string {
	y := now.Year()
	if now.Month() < time.September {
		y--
	}
	return fmt.Sprintf("%d-%02d", y, (y+1)%100)
}
