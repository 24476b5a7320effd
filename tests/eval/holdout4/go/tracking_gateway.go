// Package gateway holds the middleware and caches in front of the public
// parcel-tracking API. The API runs as 4 pods; anything that must be shared
// between pods lives in Redis.
package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

const (
	requestsPerMinute = 300
	carrierTTL        = 10 * time.Minute
)

// RateLimit is a fixed-window limiter keyed by client IP, counted in Redis so
// all pods share the same budget.
func RateLimit(rdb *redis.Client, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip := peerIP(r)
			window := time.Now().Unix() / 60
			key := fmt.Sprintf("rl:track:%s:%d", ip, window)

			pipe := rdb.TxPipeline()
			incr := pipe.Incr(r.Context(), key)
			pipe.Expire(r.Context(), key, 2*time.Minute)
			if _, err := pipe.Exec(r.Context()); err != nil {
				// Fail open: Redis being down should not take tracking offline.
				log.Warn("rate limiter unavailable", "err", err)
				next.ServeHTTP(w, r)
				return
			}
			if incr.Val() > requestsPerMinute {
				w.Header().Set("Retry-After", strconv.Itoa(60-int(time.Now().Unix()%60)))
				http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// peerIP uses the TCP peer address. The AWS NLB in front of the pods has
// client IP preservation on, so RemoteAddr is the real client; forwarded
// headers are ignored on purpose.
func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type Carrier struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	TrackingURL string   `json:"tracking_url"`
	Services    []string `json:"services"`
}

// CarrierDirectory caches the carrier list (a slow join over carrier_services)
// per pod, bounded in size and age, and collapses concurrent misses.
type CarrierDirectory struct {
	load  func(ctx context.Context, region string) ([]Carrier, error)
	cache *lru.LRU[string, []Carrier]
	group singleflight.Group
}

func NewCarrierDirectory(load func(ctx context.Context, region string) ([]Carrier, error)) *CarrierDirectory {
	return &CarrierDirectory{
		load:  load,
		cache: lru.NewLRU[string, []Carrier](256, nil, carrierTTL),
	}
}

func (d *CarrierDirectory) ForRegion(ctx context.Context, region string) ([]Carrier, error) {
	if v, ok := d.cache.Get(region); ok {
		return v, nil
	}
	v, err, _ := d.group.Do(region, func() (any, error) {
		carriers, err := d.load(ctx, region)
		if err != nil {
			return nil, err
		}
		d.cache.Add(region, carriers)
		return carriers, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]Carrier), nil
}

func (d *CarrierDirectory) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	carriers, err := d.ForRegion(r.Context(), r.URL.Query().Get("region"))
	if err != nil {
		http.Error(w, "carrier directory unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(carriers)
}
