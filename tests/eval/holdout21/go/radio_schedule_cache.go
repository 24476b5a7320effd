package radio

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jmoiron/sqlx"
	"golang.org/x/sync/singleflight"
)

// ScheduleService serves the weekly programme grid for each community radio
// station on the network. The grid is identical for every listener, so it is
// cached per station and week, never per listener.
type ScheduleService struct {
	db    *sqlx.DB
	cache *expirable.LRU[string, []Show]
	group singleflight.Group
}

type Show struct {
	Title     string    `db:"title" json:"title"`
	Presenter string    `db:"presenter" json:"presenter"`
	StartsAt  time.Time `db:"starts_at" json:"starts_at"`
	EndsAt    time.Time `db:"ends_at" json:"ends_at"`
	Genre     string    `db:"genre" json:"genre"`
}

func NewScheduleService(db *sqlx.DB) *ScheduleService {
	return &ScheduleService{
		db: db,
		// ~60 stations x a few weeks browsed ahead; 512 entries is plenty.
		cache: expirable.NewLRU[string, []Show](512, nil, 2*time.Minute),
	}
}

func (s *ScheduleService) Routes(r chi.Router) {
	r.Get("/stations/{stationID}/schedule", s.weekGrid)
}

func (s *ScheduleService) weekGrid(w http.ResponseWriter, r *http.Request) {
	stationID := chi.URLParam(r, "stationID")
	weekStart := startOfWeek(time.Now().UTC())
	if q := r.URL.Query().Get("week"); q != "" {
		t, err := time.Parse("2006-01-02", q)
		if err != nil {
			http.Error(w, "week must be YYYY-MM-DD", http.StatusBadRequest)
			return
		}
		weekStart = startOfWeek(t)
	}

	shows, err := s.grid(r.Context(), stationID, weekStart)
	if err != nil {
		log.Printf("schedule for station %s: %v", stationID, err)
		http.Error(w, "schedule unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=60")
	_ = json.NewEncoder(w).Encode(shows)
}

func (s *ScheduleService) grid(ctx context.Context, stationID string, weekStart time.Time) ([]Show, error) {
	key := fmt.Sprintf("grid:%s:%s", stationID, weekStart.Format("2006-01-02"))
	if shows, ok := s.cache.Get(key); ok {
		return shows, nil
	}
	// Only one goroutine per key goes to the database; the rest wait for it.
	v, err, _ := s.group.Do(key, func() (any, error) {
		if shows, ok := s.cache.Get(key); ok {
			return shows, nil
		}
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		defer cancel()
		var shows []Show
		err := s.db.SelectContext(qctx, &shows, `
			SELECT title, presenter, starts_at, ends_at, genre
			FROM programme_slots
			WHERE station_id = $1 AND starts_at >= $2 AND starts_at < $3
			ORDER BY starts_at
			LIMIT 400`, stationID, weekStart, weekStart.AddDate(0, 0, 7))
		if err != nil {
			return nil, fmt.Errorf("load grid %s: %w", key, err)
		}
		s.cache.Add(key, shows)
		return shows, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]Show), nil
}

func startOfWeek(t time.Time) time.Time {
	offset := (int(t.Weekday()) + 6) % 7 // Monday = 0
	d := t.AddDate(0, 0, -offset)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}
