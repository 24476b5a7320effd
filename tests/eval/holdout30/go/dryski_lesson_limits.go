package dryski

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

// Lesson-slot API for the dry ski slope. Runs as 4 replicas behind the
// leisure-centre ingress, so request counters and slot holds live in Redis
// where every replica sees the same numbers.

const (
	holdRequestsPerMinute = 20
	slotHoldTTL           = 10 * time.Minute
)

func NewRedis(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:         addr,
		PoolSize:     20,
		DialTimeout:  2 * time.Second,
		ReadTimeout:  500 * time.Millisecond,
		WriteTimeout: 500 * time.Millisecond,
	})
}

type authedUser struct{}

func userID(r *http.Request) int64 {
	id, _ := r.Context().Value(authedUser{}).(int64)
	return id
}

// RateLimit is a fixed one-minute window per signed-in member, shared across
// replicas through INCR + EXPIRE in one pipeline.
func RateLimit(rdb *redis.Client, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			window := time.Now().Unix() / 60
			key := fmt.Sprintf("rl:lesson-holds:%d:%d", userID(r), window)

			pipe := rdb.TxPipeline()
			incr := pipe.Incr(r.Context(), key)
			pipe.Expire(r.Context(), key, 2*time.Minute)
			if _, err := pipe.Exec(r.Context()); err != nil {
				log.Error("rate limit redis error; allowing request", "err", err, "key", key)
				next.ServeHTTP(w, r)
				return
			}
			if incr.Val() > holdRequestsPerMinute {
				w.Header().Set("Retry-After", "60")
				http.Error(w, "too many requests", http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

type SlotAPI struct {
	RDB *redis.Client
	Log *slog.Logger
}

// POST /slots/{slotID}/hold — holds a lesson slot for ten minutes while the
// member pays. SET NX means only one member can hold it; the TTL frees it.
func (a *SlotAPI) Hold(w http.ResponseWriter, r *http.Request) {
	slotID, err := strconv.ParseInt(chi.URLParam(r, "slotID"), 10, 64)
	if err != nil {
		http.Error(w, "bad slot id", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()

	ok, err := a.RDB.SetNX(ctx, fmt.Sprintf("slot-hold:%d", slotID), userID(r), slotHoldTTL).Result()
	if err != nil {
		a.Log.Error("slot hold failed", "slot", slotID, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	if !ok {
		http.Error(w, "slot is held by someone else", http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (a *SlotAPI) Routes(r chi.Router) {
	r.With(RateLimit(a.RDB, a.Log)).Post("/slots/{slotID}/hold", a.Hold)
}
