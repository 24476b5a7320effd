// Kit-check API used by marshals' tablets at fell race registration.
// Runs on 4 pods on race days, so the limiter and the per-runner lock
// live in Redis rather than in process memory.
package kitcheck

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

type API struct {
	DB  *sql.DB
	RDB *redis.Client // shared pool, created once in main with DialTimeout/ReadTimeout set
}

type kitCheck struct {
	Bib        int    `json:"bib"`
	Waterproof bool   `json:"waterproof_taped"`
	Map        bool   `json:"map"`
	Compass    bool   `json:"compass"`
	Whistle    bool   `json:"whistle"`
	Food       bool   `json:"emergency_food"`
	Notes      string `json:"notes"`
}

const checksPerMinute = 60

// releaseLock deletes the lock only if this marshal still holds it.
var releaseLock = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)

func (a *API) allow(ctx context.Context, marshalID string) (bool, error) {
	key := fmt.Sprintf("kitcheck:rl:%s:%d", marshalID, time.Now().Unix()/60)
	pipe := a.RDB.TxPipeline()
	incr := pipe.Incr(ctx, key)
	pipe.Expire(ctx, key, 2*time.Minute)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, err
	}
	return incr.Val() <= checksPerMinute, nil
}

func (a *API) RecordCheck(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	raceID := chi.URLParam(r, "raceID")
	marshalID := marshalFromToken(r)

	ok, err := a.allow(ctx, marshalID)
	if err != nil {
		log.Printf("kitcheck: limiter for marshal %s: %v", marshalID, err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	if !ok {
		http.Error(w, "too many checks from this tablet", http.StatusTooManyRequests)
		return
	}

	var kc kitCheck
	if err := json.NewDecoder(r.Body).Decode(&kc); err != nil || kc.Bib <= 0 {
		http.Error(w, "bib and kit list required", http.StatusBadRequest)
		return
	}

	// Two marshals scanning the same runner at the tent door: first one wins.
	lockKey := fmt.Sprintf("kitcheck:lock:%s:%d", raceID, kc.Bib)
	got, err := a.RDB.SetNX(ctx, lockKey, marshalID, 20*time.Second).Result()
	if err != nil {
		log.Printf("kitcheck: lock %s: %v", lockKey, err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	if !got {
		http.Error(w, "another marshal is checking this runner", http.StatusConflict)
		return
	}
	defer func() {
		if err := releaseLock.Run(context.Background(), a.RDB, []string{lockKey}, marshalID).Err(); err != nil {
			log.Printf("kitcheck: release %s: %v", lockKey, err)
		}
	}()

	passed := kc.Waterproof && kc.Map && kc.Compass && kc.Whistle && kc.Food
	_, err = a.DB.ExecContext(ctx, `
		INSERT INTO kit_checks (race_id, bib, passed, notes, marshal_id, checked_at)
		VALUES ($1, $2, $3, $4, $5, now())
		ON CONFLICT (race_id, bib) DO UPDATE
		   SET passed = EXCLUDED.passed, notes = EXCLUDED.notes,
		       marshal_id = EXCLUDED.marshal_id, checked_at = EXCLUDED.checked_at`,
		raceID, kc.Bib, passed, kc.Notes, marshalID)
	if err != nil {
		log.Printf("kitcheck: save race=%s bib=%d: %v", raceID, kc.Bib, err)
		http.Error(w, "could not save kit check", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]any{"bib": kc.Bib, "passed": passed}); err != nil {
		log.Printf("kitcheck: write response: %v", err)
	}
}
