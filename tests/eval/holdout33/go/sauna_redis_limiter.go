package middleware

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The sauna booking API runs on 3 pods, so booking attempts are counted in
// Redis (one fixed window per member per minute) rather than in each pod.

type memberCtxKey struct{}

// MemberFrom returns the member id the session middleware put on the context.
func MemberFrom(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(memberCtxKey{}).(int64)
	return id, ok
}

type RateLimiter struct {
	rdb    *redis.Client
	limit  int64
	window time.Duration
}

// NewRateLimiter takes the shared client built in main (redis.NewClient with
// PoolSize 20 and 250ms read/write timeouts).
func NewRateLimiter(rdb *redis.Client, limit int64, window time.Duration) *RateLimiter {
	return &RateLimiter{rdb: rdb, limit: limit, window: window}
}

func (l *RateLimiter) subject(r *http.Request) string {
	if id, ok := MemberFrom(r.Context()); ok {
		return "member:" + strconv.FormatInt(id, 10)
	}
	// Unauthenticated requests never reach the booking routes, but key by the
	// TCP peer just in case.
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "peer:" + host
}

func (l *RateLimiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bucket := time.Now().Unix() / int64(l.window.Seconds())
		key := fmt.Sprintf("sauna:rl:%s:%d", l.subject(r), bucket)

		ctx, cancel := context.WithTimeout(r.Context(), 300*time.Millisecond)
		defer cancel()

		pipe := l.rdb.TxPipeline()
		incr := pipe.Incr(ctx, key)
		pipe.Expire(ctx, key, l.window+time.Second)
		if _, err := pipe.Exec(ctx); err != nil {
			// Fail open so a Redis blip does not stop people booking, but make it visible.
			log.Printf("ratelimit: redis unavailable for %s: %v", key, err)
			next.ServeHTTP(w, r)
			return
		}

		remaining := l.limit - incr.Val()
		if remaining < 0 {
			remaining = 0
		}
		w.Header().Set("X-RateLimit-Limit", strconv.FormatInt(l.limit, 10))
		w.Header().Set("X-RateLimit-Remaining", strconv.FormatInt(remaining, 10))

		if incr.Val() > l.limit {
			w.Header().Set("Retry-After", strconv.Itoa(int(l.window.Seconds())))
			http.Error(w, "too many booking attempts", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
