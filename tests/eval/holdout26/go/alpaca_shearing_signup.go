package shearing

import (
	"database/sql"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Shearing rounds open on a fixed morning each spring and farms rush to get a
// slot with the travelling shearing team. The signup API runs as 3 replicas
// behind the ingress (deploy/shearing-api.yaml), so we cap each caller at
// 10 signup attempts per minute to keep the refresh-hammering down.
const (
	signupLimit  = 10
	signupWindow = time.Minute
)

type window struct {
	count int
	reset time.Time
}

var (
	limitMu sync.Mutex
	limits  = map[string]*window{}
)

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

// RateLimit wraps the signup routes.
func RateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := clientIP(r)
		now := time.Now()

		limitMu.Lock()
		win, ok := limits[ip]
		if !ok || now.After(win.reset) {
			win = &window{reset: now.Add(signupWindow)}
			limits[ip] = win
		}
		win.count++
		over := win.count > signupLimit
		limitMu.Unlock()

		if over {
			w.Header().Set("Retry-After", "60")
			http.Error(w, "too many signup attempts", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type API struct {
	DB *sql.DB
}

type signupRequest struct {
	RoundID  int64 `json:"round_id"`
	FarmID   int64 `json:"farm_id"`
	Alpacas  int   `json:"alpacas"`
	HasCrias bool  `json:"has_crias"`
}

// Signup registers a farm for a shearing round. One row per (round, farm);
// a repeat signup just updates the head count.
func (a *API) Signup(w http.ResponseWriter, r *http.Request) {
	var req signupRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Alpacas <= 0 {
		http.Error(w, "invalid signup", http.StatusBadRequest)
		return
	}
	_, insErr := a.DB.ExecContext(r.Context(), `
		INSERT INTO shearing_signups (round_id, farm_id, alpacas, has_crias)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (round_id, farm_id) DO UPDATE
		SET alpacas = EXCLUDED.alpacas, has_crias = EXCLUDED.has_crias`,
		req.RoundID, req.FarmID, req.Alpacas, req.HasCrias)
	if insErr != nil {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.WriteHeader(http.StatusCreated)
}
