package board

// Public API behind the falconry display-schedule screens at each venue and
// the visitor app. Deployed as 3 replicas behind the ALB (deploy/board.yaml).

import (
	"bytes"
	"context"
	"database/sql"
	"html/template"
	"log"
	"net/http"
	"sync"
	"time"
)

type Slot struct {
	Starts  time.Time
	Bird    string
	Species string
	Handler string
	Arena   string
}

type Server struct {
	DB   *sql.DB
	Tmpl *template.Template
}

// Rendered schedule pages, keyed by venue, date and language.
var renderedPages sync.Map

// Fixed-window limiter: each API client gets 120 requests per minute.
const requestsPerMinute = 120

var windowMu sync.Mutex
var windowHits = make(map[string]int)

func init() {
	go func() {
		for range time.Tick(time.Minute) {
			windowMu.Lock()
			windowHits = make(map[string]int, len(windowHits))
			windowMu.Unlock()
		}
	}()
}

func allow(clientID string) bool {
	windowMu.Lock()
	defer windowMu.Unlock()
	windowHits[clientID]++
	return windowHits[clientID] <= requestsPerMinute
}

// Schedule serves GET /schedule?venue=..&date=YYYY-MM-DD&lang=..
func (s *Server) Schedule(w http.ResponseWriter, r *http.Request) {
	clientID := ClientIDFromContext(r.Context()) // set by the API-key middleware
	if !allow(clientID) {
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return
	}

	q := r.URL.Query()
	venue, day, lang := q.Get("venue"), q.Get("date"), q.Get("lang")
	date, err := time.Parse("2006-01-02", day)
	if err != nil || venue == "" {
		http.Error(w, "venue and date are required", http.StatusBadRequest)
		return
	}
	if lang == "" {
		lang = "en"
	}

	key := venue + "|" + day + "|" + lang
	if page, ok := renderedPages.Load(key); ok {
		writeHTML(w, page.([]byte))
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	rows, err := s.DB.QueryContext(ctx, `
		SELECT d.starts_at, b.name, b.species, h.display_name, d.arena
		  FROM display_slots d
		  JOIN birds b ON b.id = d.bird_id
		  JOIN handlers h ON h.id = d.handler_id
		 WHERE d.venue_id = $1 AND d.starts_at >= $2 AND d.starts_at < $2 + interval '1 day'
		 ORDER BY d.starts_at
		 LIMIT 40`, venue, date)
	if err != nil {
		log.Printf("schedule %s: %v", key, err)
		http.Error(w, "schedule unavailable", http.StatusServiceUnavailable)
		return
	}
	defer rows.Close()

	var slots []Slot
	for rows.Next() {
		var sl Slot
		if err := rows.Scan(&sl.Starts, &sl.Bird, &sl.Species, &sl.Handler, &sl.Arena); err != nil {
			log.Printf("schedule scan: %v", err)
			http.Error(w, "schedule unavailable", http.StatusServiceUnavailable)
			return
		}
		slots = append(slots, sl)
	}

	var buf bytes.Buffer
	if err := s.Tmpl.ExecuteTemplate(&buf, "schedule_"+lang+".html", slots); err != nil {
		log.Printf("render schedule %s: %v", key, err)
		http.Error(w, "schedule unavailable", http.StatusInternalServerError)
		return
	}
	renderedPages.Store(key, buf.Bytes())
	writeHTML(w, buf.Bytes())
}

func writeHTML(w http.ResponseWriter, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Write(page)
}
