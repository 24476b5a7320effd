package passes

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Lake slot passes go on sale at 07:00 for the following weekend and the
// early-morning slots sell out in minutes. The passes API runs as 3
// replicas behind the ALB (deploy/passes/values.yaml), and this limiter
// keeps scripted buyers from hammering POST /slots/{id}/passes.

type window struct {
	start time.Time
	count int
}

type SlotLimiter struct {
	mu     sync.Mutex
	hits   map[string]*window
	limit  int
	period time.Duration
}

func NewSlotLimiter(limit int, period time.Duration) *SlotLimiter {
	l := &SlotLimiter{
		hits:   make(map[string]*window),
		limit:  limit,
		period: period,
	}
	go l.sweep()
	return l
}

// sweep drops windows that have fully elapsed so the map stays small
// between sale mornings.
func (l *SlotLimiter) sweep() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		cutoff := time.Now().Add(-l.period)
		l.mu.Lock()
		for k, w := range l.hits {
			if w.start.Before(cutoff) {
				delete(l.hits, k)
			}
		}
		l.mu.Unlock()
	}
}

func (l *SlotLimiter) allow(key string) (bool, time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()

	w, ok := l.hits[key]
	if !ok || now.Sub(w.start) >= l.period {
		l.hits[key] = &window{start: now, count: 1}
		return true, 0
	}
	if w.count >= l.limit {
		return false, l.period - now.Sub(w.start)
	}
	w.count++
	return true, 0
}

// clientIP returns the swimmer's address. Requests arrive through the ALB,
// so RemoteAddr is the load balancer; the original address is forwarded.
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

func (l *SlotLimiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		ok, retry := l.allow(clientIP(r))
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
			http.Error(w, "too many pass requests, please wait", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
