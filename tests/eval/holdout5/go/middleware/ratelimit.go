package middleware

// Per-client rate limiting for the public API.
//
// Budget: 20 req/s per client IP with a burst of 40.
// The API runs as 3 replicas behind the ALB (deploy/k8s/api.yaml, replicas: 3).

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

type visitor struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

var (
	mu       sync.Mutex
	visitors = make(map[string]*visitor)
)

func init() {
	go cleanupVisitors()
}

// cleanupVisitors drops clients we haven't seen for 3 minutes so the map
// does not grow forever.
func cleanupVisitors() {
	for {
		time.Sleep(time.Minute)
		mu.Lock()
		for ip, v := range visitors {
			if time.Since(v.lastSeen) > 3*time.Minute {
				delete(visitors, ip)
			}
		}
		mu.Unlock()
	}
}

func getVisitor(ip string) *rate.Limiter {
	mu.Lock()
	defer mu.Unlock()

	v, ok := visitors[ip]
	if !ok {
		lim := rate.NewLimiter(20, 40)
		visitors[ip] = &visitor{limiter: lim, lastSeen: time.Now()}
		return lim
	}
	v.lastSeen = time.Now()
	return v.limiter
}

// clientIP returns the original client address. We're behind a load balancer,
// so RemoteAddr is always the LB; use the first hop of X-Forwarded-For.
func clientIP(c *gin.Context) string {
	if xff := c.GetHeader("X-Forwarded-For"); xff != "" {
		return strings.TrimSpace(strings.Split(xff, ",")[0])
	}
	return c.ClientIP()
}

// RateLimit rejects requests above the per-IP budget with 429.
func RateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := clientIP(c)
		if !getVisitor(ip).Allow() {
			c.Header("Retry-After", "1")
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{
				"error": "rate limit exceeded",
			})
			return
		}
		c.Next()
	}
}
