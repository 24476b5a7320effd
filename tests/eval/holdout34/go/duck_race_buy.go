// Package ducksales serves the online "adopt a duck" page for the Millbrook
// Duck Race. The app runs on three Fly.io machines behind the Fly proxy and
// shares one Postgres database.
package ducksales

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

type Server struct {
	DB *sql.DB
}

type buyRequest struct {
	RaceID   int64  `json:"race_id"`
	Quantity int    `json:"quantity"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

// Each address may make at most 10 purchase attempts per 10 minutes, which
// stops someone scripting their way through the whole flock.
var (
	attemptsMu sync.Mutex
	attempts   = map[string][]time.Time{}
)

func clientIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

func allowAttempt(ip string) bool {
	attemptsMu.Lock()
	defer attemptsMu.Unlock()
	cutoff := time.Now().Add(-10 * time.Minute)
	recent := attempts[ip][:0]
	for _, t := range attempts[ip] {
		if t.After(cutoff) {
			recent = append(recent, t)
		}
	}
	if len(recent) >= 10 {
		attempts[ip] = recent
		return false
	}
	attempts[ip] = append(recent, time.Now())
	return true
}

// BuyDucks handles POST /api/ducks. Ducks are numbered 1..max_ducks per race
// and the printed race card lists every number that was sold.
func (s *Server) BuyDucks(w http.ResponseWriter, r *http.Request) {
	if !allowAttempt(clientIP(r)) {
		http.Error(w, "too many attempts, please try again shortly", http.StatusTooManyRequests)
		return
	}
	var req buyRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Quantity < 1 || req.Quantity > 50 {
		http.Error(w, "invalid request", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	var capacity, sold int
	err := s.DB.QueryRowContext(ctx,
		`SELECT r.max_ducks, (SELECT count(*) FROM duck_tickets t WHERE t.race_id = r.id)
		   FROM duck_races r WHERE r.id = $1 AND r.sales_open`, req.RaceID).Scan(&capacity, &sold)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "sales are closed for this race", http.StatusNotFound)
		return
	}
	if err != nil {
		serverError(w, "load race", err)
		return
	}
	if sold+req.Quantity > capacity {
		http.Error(w, "not enough ducks left", http.StatusConflict)
		return
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		serverError(w, "begin", err)
		return
	}
	defer tx.Rollback()
	var orderID int64
	if err := tx.QueryRowContext(ctx,
		`INSERT INTO duck_orders (race_id, buyer_name, buyer_email, quantity)
		 VALUES ($1, $2, $3, $4) RETURNING id`,
		req.RaceID, req.Name, req.Email, req.Quantity).Scan(&orderID); err != nil {
		serverError(w, "insert order", err)
		return
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO duck_tickets (race_id, order_id, duck_number)
		 SELECT $1, $2, n FROM generate_series($3::int, $4::int) AS n`,
		req.RaceID, orderID, sold+1, sold+req.Quantity); err != nil {
		serverError(w, "insert tickets", err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, "commit", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"order_id":   orderID,
		"first_duck": sold + 1,
		"last_duck":  sold + req.Quantity,
	})
}

func serverError(w http.ResponseWriter, op string, err error) {
	log.Printf("buy ducks: %s: %v", op, err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
