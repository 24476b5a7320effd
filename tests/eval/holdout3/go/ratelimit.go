package middleware

// Fixed-window rate limiter for the public REST API.
//
// The api Deployment runs with replicas: 3 behind the nginx ingress
// (see deploy/k8s/api-deployment.yaml).

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

type window struct {
	count int
	start time.Time
}

type RateLimiter struct {
	mu      sync.Mutex
	clients map[string]*window
	limit   int
	period  time.Duration
}

// NewRateLimiter allows `limit` requests per client per `period`.
func NewRateLimiter(limit int, period time.Duration) *RateLimiter {
	rl := &RateLimiter{
		clients: make(map[string]*window),
		limit:   limit,
		period:  period,
	}
	go rl.janitor()
	return rl
}

func (rl *RateLimiter) allow(key string) (bool, time.Duration) {
	rl.mu.Lock()
	defer rl.mu.Unlock()

	now := time.Now()
	w, ok := rl.clients[key]
	if !ok || now.Sub(w.start) >= rl.period {
		rl.clients[key] = &window{count: 1, start: now}
		return true, 0
	}
	if w.count >= rl.limit {
		return false, rl.period - now.Sub(w.start)
	}
	w.count++
	return true, 0
}

// janitor drops windows that have expired so the map doesn't grow forever.
func (rl *RateLimiter) janitor() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		rl.mu.Lock()
		for k, w := range rl.clients {
			if time.Since(w.start) > rl.period {
				delete(rl.clients, k)
			}
		}
		rl.mu.Unlock()
	}
}

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

// Middleware rejects clients over the limit with 429.
func (rl *RateLimiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, retry := rl.allow(clientIP(r))
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
			http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
