package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"

	"example.org/wavefm/internal/auth"
)

// Show is one slot in the weekly programme grid of the station.
type Show struct {
	ID        int64     `db:"id" json:"id"`
	Title     string    `db:"title" json:"title"`
	Presenter string    `db:"presenter" json:"presenter"`
	Genre     string    `db:"genre" json:"genre"`
	StartsAt  time.Time `db:"starts_at" json:"starts_at"`
	EndsAt    time.Time `db:"ends_at" json:"ends_at"`
	Live      bool      `db:"live" json:"live"`
}

type cachedGrid struct {
	shows    []Show
	storedAt time.Time
}

// The grid only changes when the programme coordinator publishes a new week,
// so a few minutes of staleness is fine for listeners and presenters alike.
const gridTTL = 5 * time.Minute

var (
	gridMu    sync.RWMutex
	gridCache = make(map[string]cachedGrid)
)

type Server struct {
	DB *sqlx.DB
}

func (s *Server) Routes(r chi.Router) {
	r.With(auth.Optional).Get("/grid/{week}", s.weekGrid)
}

// weekGrid returns the programme grid for an ISO week such as "2024-W18".
func (s *Server) weekGrid(w http.ResponseWriter, r *http.Request) {
	week := chi.URLParam(r, "week")
	weekStart, err := parseISOWeek(week)
	if err != nil {
		http.Error(w, "week must look like 2024-W18", http.StatusBadRequest)
		return
	}

	viewer := auth.UserIDOrAnon(r.Context())
	key := fmt.Sprintf("grid:%s:%s", viewer, week)

	gridMu.RLock()
	entry, ok := gridCache[key]
	gridMu.RUnlock()
	if ok && time.Since(entry.storedAt) < gridTTL {
		writeJSON(w, entry.shows)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	shows, err := s.loadWeek(ctx, weekStart)
	if err != nil {
		log.Printf("schedule: load week %s: %v", week, err)
		http.Error(w, "schedule unavailable", http.StatusServiceUnavailable)
		return
	}

	gridMu.Lock()
	gridCache[key] = cachedGrid{shows: shows, storedAt: time.Now()}
	gridMu.Unlock()

	writeJSON(w, shows)
}

// loadWeek reads the 7 days starting at weekStart; a full week is at most ~170 slots.
func (s *Server) loadWeek(ctx context.Context, weekStart time.Time) ([]Show, error) {
	var shows []Show
	err := s.DB.SelectContext(ctx, &shows, `
		SELECT s.id, s.title, p.display_name AS presenter, s.genre, s.starts_at, s.ends_at, s.live
		FROM shows s
		JOIN presenters p ON p.id = s.presenter_id
		WHERE s.starts_at >= $1 AND s.starts_at < $2 AND s.published
		ORDER BY s.starts_at`,
		weekStart, weekStart.AddDate(0, 0, 7))
	return shows, err
}

func parseISOWeek(v string) (time.Time, error) {
	var year, wk int
	if _, err := fmt.Sscanf(v, "%d-W%d", &year, &wk); err != nil || wk < 1 || wk > 53 {
		return time.Time{}, fmt.Errorf("bad iso week %q", v)
	}
	// Jan 4th is always in ISO week 1.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7))
	return monday.AddDate(0, 0, (wk-1)*7), nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("schedule: encode response: %v", err)
	}
}
