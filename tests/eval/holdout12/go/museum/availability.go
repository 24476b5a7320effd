package ticketing

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

// Server backs the timed-entry ticket widget on the museum website.
type Server struct {
	DB  *sql.DB
	Loc *time.Location
}

type Slot struct {
	StartsAt  time.Time `json:"starts_at"`
	Exhibit   string    `json:"exhibit"`
	Capacity  int       `json:"capacity"`
	Remaining int       `json:"remaining"`
}

type cachedSlots struct {
	slots   []Slot
	expires time.Time
}

// slot availability per visitor+day, refreshed every 30s
var slotCache sync.Map

// GET /api/slots?date=2025-03-14
func (s *Server) handleSlots(w http.ResponseWriter, r *http.Request) {
	visitorID := visitorFromCookie(r)
	day := r.URL.Query().Get("date")
	if day == "" {
		day = time.Now().In(s.Loc).Format(time.DateOnly)
	}
	key := fmt.Sprintf("%s|%s", visitorID, day)
	if v, ok := slotCache.Load(key); ok {
		if c := v.(cachedSlots); time.Now().Before(c.expires) {
			writeJSON(w, c.slots)
			return
		}
	}
	slots, err := s.loadSlots(r.Context(), day)
	if err != nil {
		log.Printf("slots %s: %v", day, err)
		http.Error(w, "could not load availability", http.StatusInternalServerError)
		return
	}
	slotCache.Store(key, cachedSlots{slots: slots, expires: time.Now().Add(30 * time.Second)})
	writeJSON(w, slots)
}

func (s *Server) loadSlots(ctx context.Context, day string) ([]Slot, error) {
	rows, err := s.DB.QueryContext(ctx, `
		SELECT ts.starts_at, e.title, ts.capacity,
		       ts.capacity - coalesce(sum(tl.quantity), 0) AS remaining
		FROM timed_slots ts
		JOIN exhibits e ON e.id = ts.exhibit_id
		LEFT JOIN ticket_lines tl ON tl.slot_id = ts.id AND tl.status IN ('paid', 'reserved')
		WHERE ts.starts_at >= $1::date AND ts.starts_at < $1::date + 1
		GROUP BY ts.id, e.title
		ORDER BY ts.starts_at`, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Slot
	for rows.Next() {
		var sl Slot
		if err := rows.Scan(&sl.StartsAt, &sl.Exhibit, &sl.Capacity, &sl.Remaining); err != nil {
			return nil, err
		}
		out = append(out, sl)
	}
	return out, rows.Err()
}

// "Most popular right now" strip on the home page.
var (
	popularMu  sync.RWMutex
	popular    []byte
	popularExp time.Time
)

func (s *Server) handlePopular(w http.ResponseWriter, r *http.Request) {
	popularMu.RLock()
	body, exp := popular, popularExp
	popularMu.RUnlock()
	if time.Now().Before(exp) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
		return
	}
	// tickets sold per exhibit over the last 90 days
	var fresh []byte
	err := s.DB.QueryRowContext(r.Context(), `
		SELECT coalesce(json_agg(x ORDER BY x.sold DESC), '[]')
		FROM (SELECT e.id, e.title, sum(tl.quantity) AS sold
		      FROM ticket_lines tl
		      JOIN timed_slots ts ON ts.id = tl.slot_id
		      JOIN exhibits e ON e.id = ts.exhibit_id
		      WHERE tl.status = 'paid' AND tl.created_at > now() - interval '90 days'
		      GROUP BY e.id, e.title
		      ORDER BY sold DESC LIMIT 6) x`).Scan(&fresh)
	if err != nil {
		log.Printf("popular: %v", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	popularMu.Lock()
	popular, popularExp = fresh, time.Now().Add(5*time.Minute)
	popularMu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write(fresh)
}
