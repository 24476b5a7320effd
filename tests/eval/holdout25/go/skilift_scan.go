// Package gate serves the turnstile scanners at the lift base stations.
// The scan API runs as 3 replicas behind the resort's load balancer so a
// single pod restart never stops the lifts.
package gate

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Each turnstile should scan at most a handful of passes per second; anything
// faster is usually a cloned pass being waved in front of the reader.
const (
	scanWindow     = 10 * time.Second
	maxScansWindow = 25
)

type window struct {
	start time.Time
	count int
}

var (
	turnstileMu     sync.Mutex
	turnstileWindow = map[string]*window{}
)

type ScanHandler struct {
	DB *sql.DB
}

type scanRequest struct {
	PassID string `json:"pass_id"`
	LiftID int    `json:"lift_id"`
}

func allowScan(turnstile string, now time.Time) bool {
	turnstileMu.Lock()
	defer turnstileMu.Unlock()

	wnd, ok := turnstileWindow[turnstile]
	if !ok || now.Sub(wnd.start) > scanWindow {
		turnstileWindow[turnstile] = &window{start: now, count: 1}
		return true
	}
	if wnd.count >= maxScansWindow {
		return false
	}
	wnd.count++
	return true
}

// turnstileAddr identifies the reader; the readers sit behind the lift
// station's NAT so we take the first hop the balancer recorded.
func turnstileAddr(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return r.RemoteAddr
}

func (h *ScanHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !allowScan(turnstileAddr(r), time.Now()) {
		http.Error(w, "too many scans", http.StatusTooManyRequests)
		return
	}

	var req scanRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.PassID == "" {
		http.Error(w, "bad scan payload", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 800*time.Millisecond)
	defer cancel()

	var valid bool
	err := h.DB.QueryRowContext(ctx, `
		SELECT valid_from <= now() AND valid_until > now() AND NOT blocked
		  FROM lift_passes WHERE pass_id = $1`, req.PassID).Scan(&valid)
	if err == sql.ErrNoRows {
		writeResult(w, false, "unknown pass")
		return
	}
	if err != nil {
		log.Printf("pass lookup %s: %v", req.PassID, err)
		http.Error(w, "lookup failed", http.StatusServiceUnavailable)
		return
	}
	if !valid {
		writeResult(w, false, "pass not valid today")
		return
	}

	if _, err := h.DB.ExecContext(ctx,
		`INSERT INTO lift_scans (pass_id, lift_id, scanned_at) VALUES ($1, $2, now())`,
		req.PassID, req.LiftID); err != nil {
		log.Printf("record scan %s: %v", req.PassID, err)
		http.Error(w, "could not record scan", http.StatusServiceUnavailable)
		return
	}
	writeResult(w, true, "enjoy the ride")
}

func writeResult(w http.ResponseWriter, open bool, msg string) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]any{"open_gate": open, "message": msg}); err != nil {
		log.Printf("write scan result: %v", err)
	}
}
