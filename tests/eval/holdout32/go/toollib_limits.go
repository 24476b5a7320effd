package middleware

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Reservation limits for the tool library API.
//
// The API runs as three machines behind the Fly.io proxy (min_machines_running = 3)
// so members near either branch get a quick response. Reserving is the expensive
// path (it checks the tool's maintenance log and emails the volunteer on duty), so
// we cap it at 10 reservation attempts per client per minute.

const (
	reserveLimit  = 10
	reserveWindow = time.Minute
)

type window struct {
	start time.Time
	count int
}

var (
	reserveMu      sync.Mutex
	reserveWindows = map[string]*window{}
)

func init() {
	// Drop idle clients every few minutes so the map does not keep old entries.
	go func() {
		t := time.NewTicker(5 * time.Minute)
		defer t.Stop()
		for range t.C {
			cutoff := time.Now().Add(-reserveWindow)
			reserveMu.Lock()
			for k, w := range reserveWindows {
				if w.start.Before(cutoff) {
					delete(reserveWindows, k)
				}
			}
			reserveMu.Unlock()
		}
	}()
}

// clientIP returns the address of the member's device.
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

func allow(key string, now time.Time) (bool, time.Duration) {
	reserveMu.Lock()
	defer reserveMu.Unlock()

	w, ok := reserveWindows[key]
	if !ok || now.Sub(w.start) >= reserveWindow {
		reserveWindows[key] = &window{start: now, count: 1}
		return true, 0
	}
	if w.count >= reserveLimit {
		return false, reserveWindow - now.Sub(w.start)
	}
	w.count++
	return true, 0
}

// LimitReservations wraps POST /tools/{id}/reservations.
func LimitReservations(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, retryIn := allow(clientIP(r), time.Now())
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(retryIn.Seconds())+1))
			http.Error(w, "too many reservation attempts, please wait a minute", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
