package middleware

// Rate limiting for the public quote API of the translation portal.
// Deployed on Cloud Run, min instances 2 / max instances 6, behind the Google LB.

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

type window struct {
	start time.Time
	count int
}

// quoteLimiter allows 20 quote requests per minute per client.
var quoteLimiter sync.Map // ip -> *window

var limiterMu sync.Mutex

const (
	quoteLimit  = 20
	quoteWindow = time.Minute
)

func clientIP(c *gin.Context) string {
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return c.ClientIP()
}

// QuoteRateLimit must be registered before the /quotes routes.
func QuoteRateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := clientIP(c)
		now := time.Now()

		limiterMu.Lock()
		v, _ := quoteLimiter.LoadOrStore(ip, &window{start: now})
		w := v.(*window)
		if now.Sub(w.start) > quoteWindow {
			w.start, w.count = now, 0
		}
		w.count++
		over := w.count > quoteLimit
		limiterMu.Unlock()

		if over {
			c.Header("Retry-After", "60")
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "too many quote requests"})
			return
		}
		c.Next()
	}
}

// RequireAPIKey checks the agency partner key.
func RequireAPIKey(keys map[string]string) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("X-Api-Key")
		partner, ok := keys[key]
		if !ok {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Set("partner", partner)
		c.Next()
	}
}
