// Package gamecodes lets players join a running escape-room session by typing
// the 6-digit code shown on the room's screen.
//
// The public API runs as 3 replicas behind the ALB (deploy/escape-api.yaml).
package gamecodes

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	maxCodeAttempts = 10
	attemptWindow   = 5 * time.Minute
)

type attemptWindowState struct {
	count   int
	resetAt time.Time
}

var (
	attemptsMu sync.Mutex
	attempts   = map[string]*attemptWindowState{}
)

func init() {
	// Drop finished windows once a minute so the map does not keep stale IPs.
	go func() {
		for range time.Tick(time.Minute) {
			now := time.Now()
			attemptsMu.Lock()
			for ip, st := range attempts {
				if now.After(st.resetAt) {
					delete(attempts, ip)
				}
			}
			attemptsMu.Unlock()
		}
	}()
}

func clientIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return host
}

func allowAttempt(ip string) bool {
	attemptsMu.Lock()
	defer attemptsMu.Unlock()
	now := time.Now()
	st, ok := attempts[ip]
	if !ok || now.After(st.resetAt) {
		attempts[ip] = &attemptWindowState{count: 1, resetAt: now.Add(attemptWindow)}
		return true
	}
	if st.count >= maxCodeAttempts {
		return false
	}
	st.count++
	return true
}

var ErrNoSession = errors.New("no running session")

type SessionLookup interface {
	SessionByCode(r *http.Request, code string) (sessionID string, room string, err error)
}

type joinResponse struct {
	SessionID string `json:"session_id"`
	Room      string `json:"room"`
}

func JoinHandler(store SessionLookup) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !allowAttempt(clientIP(r)) {
			w.Header().Set("Retry-After", "300")
			http.Error(w, "too many attempts, try again in a few minutes", http.StatusTooManyRequests)
			return
		}
		code := strings.TrimSpace(r.URL.Query().Get("code"))
		if len(code) != 6 {
			http.Error(w, "code must be 6 digits", http.StatusBadRequest)
			return
		}
		sessionID, room, err := store.SessionByCode(r, code)
		if errors.Is(err, ErrNoSession) {
			http.Error(w, "no running session with that code", http.StatusNotFound)
			return
		}
		if err != nil {
			log.Printf("session lookup: %v", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(joinResponse{SessionID: sessionID, Room: room})
	}
}
