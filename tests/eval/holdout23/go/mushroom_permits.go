package permits

// Foraging permits for the county woodlands. The permits API runs on 4 pods,
// so the per-user rate limit and the idempotency keys are kept in Redis.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"example.org/woodland/internal/auth"
)

const applicationsPerHour = 10

type Service struct {
	DB    *sql.DB
	Redis *redis.Client
	Log   *slog.Logger
}

type application struct {
	ZoneID  int64    `json:"zone_id"`
	Season  string   `json:"season"`
	Species []string `json:"species"`
}

// allow is a fixed one-hour window counter shared by all pods.
func (s *Service) allow(ctx context.Context, userID int64) (bool, error) {
	key := fmt.Sprintf("rl:permit-apply:%d:%d", userID, time.Now().Unix()/3600)
	pipe := s.Redis.TxPipeline()
	n := pipe.Incr(ctx, key)
	pipe.Expire(ctx, key, 2*time.Hour)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, err
	}
	return n.Val() <= applicationsPerHour, nil
}

// Apply handles POST /permits. Clients send an Idempotency-Key header so a
// retried submit from the field app does not create a second permit.
func (s *Service) Apply(w http.ResponseWriter, r *http.Request) {
	user := auth.UserFrom(r.Context())
	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()

	ok, err := s.allow(ctx, user.ID)
	if err != nil {
		s.Log.Error("rate limit check", "user", user.ID, "err", err)
		http.Error(w, "try again shortly", http.StatusServiceUnavailable)
		return
	}
	if !ok {
		http.Error(w, "too many applications this hour", http.StatusTooManyRequests)
		return
	}

	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey == "" || len(idemKey) > 64 {
		http.Error(w, "Idempotency-Key header required", http.StatusBadRequest)
		return
	}
	var app application
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&app); err != nil {
		http.Error(w, "bad application", http.StatusBadRequest)
		return
	}

	redisKey := fmt.Sprintf("idem:permit:%d:%s", user.ID, idemKey)
	first, err := s.Redis.SetNX(ctx, redisKey, "pending", 24*time.Hour).Result()
	if err != nil {
		s.Log.Error("idempotency key", "user", user.ID, "err", err)
		http.Error(w, "try again shortly", http.StatusServiceUnavailable)
		return
	}
	if !first {
		http.Error(w, "application already received", http.StatusConflict)
		return
	}

	// One permit per forager, zone and season is also enforced by a unique index.
	var permitID int64
	err = s.DB.QueryRowContext(ctx, `INSERT INTO permits (holder_id, zone_id, season, species, status) VALUES ($1, $2, $3, $4, 'pending') ON CONFLICT (holder_id, zone_id, season) DO NOTHING RETURNING id`,
		user.ID, app.ZoneID, app.Season, pq.Array(app.Species)).Scan(&permitID)
	switch {
	case err == sql.ErrNoRows:
		http.Error(w, "you already hold a permit for this zone and season", http.StatusConflict)
		return
	case err != nil:
		s.Log.Error("insert permit", "user", user.ID, "err", err)
		if delErr := s.Redis.Del(ctx, redisKey).Err(); delErr != nil {
			s.Log.Warn("release idempotency key", "key", redisKey, "err", delErr)
		}
		http.Error(w, "could not save application", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"permit_id": permitID})
}
