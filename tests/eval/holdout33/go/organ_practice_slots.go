package organ

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

// St Michael's lets registered organists book the instrument for practice.
// The weekly grid (services, weddings, lessons, free slots) is the same for
// everyone; members see it after signing in.

type Slot struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Kind   string    `json:"kind"` // "free", "service", "wedding", "lesson", "booked"
	Holder string    `json:"holder,omitempty"`
}

type cachedWeek struct {
	slots   []Slot
	fetched time.Time
}

var (
	weekMu    sync.RWMutex
	weekCache = map[string]cachedWeek{}
)

const weekTTL = 5 * time.Minute

type Server struct {
	DB *sql.DB
}

// GET /practice/week?start=2024-03-04
func (s *Server) Week(w http.ResponseWriter, r *http.Request) {
	memberID, ok := r.Context().Value(memberKey{}).(int64)
	if !ok {
		http.Error(w, "sign in required", http.StatusUnauthorized)
		return
	}
	start, err := time.Parse("2006-01-02", r.URL.Query().Get("start"))
	if err != nil || start.Weekday() != time.Monday {
		http.Error(w, "start must be a Monday (YYYY-MM-DD)", http.StatusBadRequest)
		return
	}

	key := fmt.Sprintf("organ-week:%d:%s", memberID, start.Format("2006-01-02"))
	weekMu.RLock()
	cw, hit := weekCache[key]
	weekMu.RUnlock()

	if !hit || time.Since(cw.fetched) > weekTTL {
		slots, err := s.loadWeek(r, start)
		if err != nil {
			log.Printf("organ: load week %s: %v", start.Format("2006-01-02"), err)
			http.Error(w, "could not load timetable", http.StatusInternalServerError)
			return
		}
		cw = cachedWeek{slots: slots, fetched: time.Now()}
		weekMu.Lock()
		weekCache[key] = cw
		weekMu.Unlock()
	}

	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(cw.slots)
}

func (s *Server) loadWeek(r *http.Request, start time.Time) ([]Slot, error) {
	rows, err := s.DB.QueryContext(r.Context(), `
		SELECT starts_at, ends_at, kind, coalesce(holder_name, '')
		FROM organ_slots
		WHERE starts_at >= $1 AND starts_at < $2
		ORDER BY starts_at`, start, start.AddDate(0, 0, 7))
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out []Slot
	for rows.Next() {
		var sl Slot
		if err := rows.Scan(&sl.Start, &sl.End, &sl.Kind, &sl.Holder); err != nil {
			return nil, err
		}
		out = append(out, sl)
	}
	return out, rows.Err()
}

type memberKey struct{}
