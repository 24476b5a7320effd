package lanes

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// The lane booking API sits behind the city's ingress (3 replicas of this
// service in the leisure-centres namespace). Lane slots for the early swim
// open every Sunday at 18:00 and a handful of scripts used to grab them all,
// so booking requests are throttled per client.

const (
	bookingWindow = time.Minute
	maxPerWindow  = 3
)

type window struct {
	start time.Time
	count int
}

type LaneLimiter struct {
	mu      sync.Mutex
	windows map[string]*window
}

func NewLaneLimiter() *LaneLimiter {
	l := &LaneLimiter{windows: make(map[string]*window)}
	go l.sweep()
	return l
}

// sweep drops windows that have been idle for a while so the map stays small.
func (l *LaneLimiter) sweep() {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for range t.C {
		cutoff := time.Now().Add(-2 * bookingWindow)
		l.mu.Lock()
		for k, w := range l.windows {
			if w.start.Before(cutoff) {
				delete(l.windows, k)
			}
		}
		l.mu.Unlock()
	}
}

func (l *LaneLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	w, ok := l.windows[key]
	if !ok || now.Sub(w.start) > bookingWindow {
		l.windows[key] = &window{start: now, count: 1}
		return true
	}
	if w.count >= maxPerWindow {
		return false
	}
	w.count++
	return true
}

// clientKey identifies the caller. Members on the leisure centre Wi-Fi share
// one public address, so the original client address is used when present.
func clientKey(c *gin.Context) string {
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return c.ClientIP()
}

func (l *LaneLimiter) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !l.allow(clientKey(c)) {
			c.Header("Retry-After", "60")
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{
				"error": "too many booking attempts, try again in a minute",
			})
			return
		}
		c.Next()
	}
}

func RegisterBookingRoutes(r *gin.Engine, limiter *LaneLimiter, h *BookingHandler) {
	g := r.Group("/pools/:poolID/lanes")
	g.GET("/slots", h.ListSlots)
	g.POST("/slots/:slotID/book", limiter.Middleware(), h.Book)
}
