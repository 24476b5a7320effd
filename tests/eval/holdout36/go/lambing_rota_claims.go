// Package rota serves the night-shift rota for the co-op's lambing sheds.
// Shepherds claim two-hour slots from their phones; the service runs as
// 3 replicas behind the co-op's load balancer (deploy/rota.yaml).
package rota

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

	"github.com/go-chi/chi/v5"
)

type Server struct {
	db *sql.DB
}

// Claims are throttled per caller so a phone stuck in a retry loop at
// 3am can't flood the endpoint while the shed is busy.
const claimWindow = time.Minute
const claimsPerWindow = 10

var (
	claimMu   sync.Mutex
	claimHits = map[string][]time.Time{}
)

func callerIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return host
}

func allowClaim(ip string, now time.Time) bool {
	claimMu.Lock()
	defer claimMu.Unlock()
	recent := claimHits[ip][:0]
	for _, t := range claimHits[ip] {
		if now.Sub(t) < claimWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) >= claimsPerWindow {
		claimHits[ip] = recent
		return false
	}
	claimHits[ip] = append(recent, now)
	return true
}

func (s *Server) Routes(r chi.Router) {
	r.Post("/farms/{farmID}/shifts/{shiftID}/claim", s.claimShift)
}

type claimRequest struct {
	WorkerID int64 `json:"worker_id"`
}

func (s *Server) claimShift(w http.ResponseWriter, r *http.Request) {
	if !allowClaim(callerIP(r), time.Now()) {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	farmID := chi.URLParam(r, "farmID")
	shiftID := chi.URLParam(r, "shiftID")

	var req claimRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.WorkerID == 0 {
		http.Error(w, "worker_id required", http.StatusBadRequest)
		return
	}

	ctx := r.Context()
	var needed, taken int
	err := s.db.QueryRowContext(ctx, `
		SELECT s.shepherds_needed, (SELECT count(*) FROM shift_claims c WHERE c.shift_id = s.id)
		  FROM lambing_shifts s
		 WHERE s.id = $1 AND s.farm_id = $2`, shiftID, farmID).Scan(&needed, &taken)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		log.Printf("rota: load shift %s: %v", shiftID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if taken >= needed {
		http.Error(w, "shift already covered", http.StatusConflict)
		return
	}

	// (shift_id, worker_id) is unique, so a double tap from the same phone
	// can't give one shepherd two rows on the same slot.
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO shift_claims (shift_id, farm_id, worker_id, claimed_at)
		VALUES ($1, $2, $3, now())
		ON CONFLICT (shift_id, worker_id) DO NOTHING`, shiftID, farmID, req.WorkerID)
	if err != nil {
		log.Printf("rota: claim shift %s for worker %d: %v", shiftID, req.WorkerID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"shift_id": shiftID, "worker_id": req.WorkerID})
}
