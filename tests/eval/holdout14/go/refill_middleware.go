// Throttling for the refill-request endpoints. Clinics complained that owners tapping the
// "Request refill" link from the reminder SMS five times created five pharmacist tasks.
//
// refills-api runs with replicas: 4 (k8s/refills-api/deployment.yaml), ALB in front.
package middleware

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
	visitorsMu sync.Mutex
	visitors   = make(map[string]*visitor)
)

// requesterIP returns the pet owner's address, preferring the proxy header.
func requesterIP(c *gin.Context) string {
	if xff := c.GetHeader("X-Forwarded-For"); xff != "" {
		return strings.TrimSpace(strings.Split(xff, ",")[0])
	}
	return c.RemoteIP()
}

func limiterFor(ip string) *rate.Limiter {
	visitorsMu.Lock()
	defer visitorsMu.Unlock()
	v, ok := visitors[ip]
	if !ok {
		// 1 refill request every 20s, burst of 2
		v = &visitor{limiter: rate.NewLimiter(rate.Every(20*time.Second), 2)}
		visitors[ip] = v
	}
	v.lastSeen = time.Now()
	return v.limiter
}

func evictIdle() {
	for range time.Tick(time.Minute) {
		visitorsMu.Lock()
		for ip, v := range visitors {
			if time.Since(v.lastSeen) > 5*time.Minute {
				delete(visitors, ip)
			}
		}
		visitorsMu.Unlock()
	}
}

// ThrottleRefills is mounted on /v1/refills/* in router.go.
func ThrottleRefills() gin.HandlerFunc {
	go evictIdle()
	return func(c *gin.Context) {
		if !limiterFor(requesterIP(c)).Allow() {
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{
				"error": "A refill request was just sent for this account. Please wait a moment.",
			})
			return
		}
		c.Next()
	}
}
