package velodrome

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

type TrackSession struct {
	ID        int64     `db:"id" json:"id"`
	Kind      string    `db:"kind" json:"kind"` // accreditation, open track, madison drills
	StartsAt  time.Time `db:"starts_at" json:"starts_at"`
	Capacity  int       `db:"capacity" json:"capacity"`
	Booked    int       `db:"booked" json:"booked"`
	CoachName string    `db:"coach_name" json:"coach_name"`
}

// Timetable serves the public week view of track sessions. The week view is
// identical for every rider, so it is cached per week, with a bounded LRU and
// a short TTL; singleflight makes sure only one request rebuilds a week.
type Timetable struct {
	db    *sqlx.DB
	cache *expirable.LRU[string, []TrackSession]
	group singleflight.Group
}

func NewTimetable(db *sqlx.DB) *Timetable {
	return &Timetable{
		db:    db,
		cache: expirable.NewLRU[string, []TrackSession](104, nil, 90*time.Second),
	}
}

func (t *Timetable) week(ctx context.Context, monday time.Time) ([]TrackSession, error) {
	key := "week:" + monday.Format("2006-01-02")
	if sessions, ok := t.cache.Get(key); ok {
		return sessions, nil
	}

	v, err, _ := t.group.Do(key, func() (any, error) {
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		defer cancel()

		var sessions []TrackSession
		err := t.db.SelectContext(qctx, &sessions, `
			SELECT s.id, s.kind, s.starts_at, s.capacity, s.booked, c.display_name AS coach_name
			  FROM track_sessions s
			  JOIN coaches c ON c.id = s.coach_id
			 WHERE s.starts_at >= $1 AND s.starts_at < $1 + interval '7 days'
			 ORDER BY s.starts_at
			 LIMIT 200`, monday)
		if err != nil {
			return nil, fmt.Errorf("load week %s: %w", key, err)
		}
		t.cache.Add(key, sessions)
		return sessions, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]TrackSession), nil
}

// GET /timetable/{monday}
func (t *Timetable) HandleWeek(w http.ResponseWriter, r *http.Request) {
	monday, err := time.Parse("2006-01-02", chi.URLParam(r, "monday"))
	if err != nil || monday.Weekday() != time.Monday {
		http.Error(w, "expected a Monday date", http.StatusBadRequest)
		return
	}
	sessions, err := t.week(r.Context(), monday)
	if err != nil {
		log.Printf("timetable: %v", err)
		http.Error(w, "timetable unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=30")
	if err := json.NewEncoder(w).Encode(sessions); err != nil {
		log.Printf("encode timetable: %v", err)
	}
}
