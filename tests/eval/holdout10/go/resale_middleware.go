package middleware

// Middleware for the ticket resale API.
// Deployed as `resale-api` on k8s (replicas: 4, behind the GCP HTTPS load balancer).

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

type window struct {
	count int
	start time.Time
}

var (
	limiterMu sync.Mutex
	hits      = map[string]*window{}
)

// RateLimit allows `limit` requests per client IP per `per` window.
// Scalpers hammer the listing endpoints when a big show drops, so this
// is mounted on /listings and /checkout.
func RateLimit(limit int, per time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := c.GetHeader("X-Forwarded-For")
		if ip == "" {
			ip = c.ClientIP()
		}

		limiterMu.Lock()
		w, ok := hits[ip]
		now := time.Now()
		if !ok || now.Sub(w.start) > per {
			w = &window{start: now}
			hits[ip] = w
		}
		w.count++
		over := w.count > limit
		limiterMu.Unlock()

		if over {
			c.Header("Retry-After", "60")
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "slow down"})
			return
		}
		c.Next()
	}
}

// listingsInCheckout stops two buyers from checking out the same resale
// listing at the same time.
var listingsInCheckout sync.Map

func CheckoutGuard() gin.HandlerFunc {
	return func(c *gin.Context) {
		listingID := c.Param("listingID")
		if _, busy := listingsInCheckout.LoadOrStore(listingID, time.Now()); busy {
			c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": "listing is being purchased"})
			return
		}
		defer listingsInCheckout.Delete(listingID)
		c.Next()
	}
}

// Janitor resets stale windows every few minutes so the map doesn't grow forever.
func StartJanitor(every time.Duration) {
	go func() {
		for range time.Tick(every) {
			limiterMu.Lock()
			for k, w := range hits {
				if time.Since(w.start) > every {
					delete(hits, k)
				}
			}
			limiterMu.Unlock()
		}
	}()
}
