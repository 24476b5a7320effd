package main

// interpreter-hub API: deaf clients and GP surgeries post BSL interpreter
// requests; freelance interpreters accept them from the app.
// Runs on ECS, desired count 3, behind the public ALB.

import (
	"database/sql"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

type window struct {
	start time.Time
	count int
}

var (
	limitMu   sync.Mutex
	limitHits = map[string]*window{}
)

const perMinute = 30

func clientIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// rateLimit keeps the public request form from being hammered.
func rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := clientIP(r)
		now := time.Now()

		limitMu.Lock()
		win, ok := limitHits[ip]
		if !ok || now.Sub(win.start) > time.Minute {
			win = &window{start: now}
			limitHits[ip] = win
		}
		win.count++
		over := win.count > perMinute
		limitMu.Unlock()

		if over {
			http.Error(w, "too many requests", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type interpreterKey struct{}

type server struct {
	db *sql.DB
}

func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(rateLimit)
	r.Post("/requests/{id}/accept", s.acceptRequest)
	return r
}

// acceptRequest lets an interpreter take an open booking.
func (s *server) acceptRequest(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	ctx := r.Context()
	interpreterID, ok := ctx.Value(interpreterKey{}).(int64) // set by the JWT middleware
	if !ok {
		http.Error(w, "unauthorised", http.StatusUnauthorized)
		return
	}

	var status string
	err := s.db.QueryRowContext(ctx,
		`SELECT status FROM interpreter_requests WHERE id = $1`, id).Scan(&status)
	if err == sql.ErrNoRows {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		log.Printf("load request %s: %v", id, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if status != "open" {
		http.Error(w, "request already taken", http.StatusConflict)
		return
	}

	_, err = s.db.ExecContext(ctx,
		`UPDATE interpreter_requests
		    SET status = 'accepted', interpreter_id = $2, accepted_at = now()
		  WHERE id = $1`, id, interpreterID)
	if err != nil {
		log.Printf("accept request %s: %v", id, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
