package repaircafe

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// The repair cafe check-in app runs on two Cloud Run instances, so ticket
// numbers and bench claims live in Redis rather than in process memory.

type Service struct {
	DB    *sql.DB
	Redis *redis.Client
}

func NewRedis(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:         addr,
		DialTimeout:  2 * time.Second,
		ReadTimeout:  500 * time.Millisecond,
		WriteTimeout: 500 * time.Millisecond,
		PoolSize:     20,
	})
}

type checkInRequest struct {
	VisitorName string `json:"visitor_name"`
	Appliance   string `json:"appliance"` // "toaster", "lamp", "sewing machine" ...
	Fault       string `json:"fault"`
}

// CheckIn hands out the next queue number for today's session. INCR is
// atomic across instances, so two volunteers at the door never print the
// same number.
func (s *Service) CheckIn(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	cafeID := r.PathValue("cafeID")
	sessionID := r.PathValue("sessionID")
	var req checkInRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}

	seqKey := fmt.Sprintf("repaircafe:%s:%s:ticket_seq", cafeID, sessionID)
	n, err := s.Redis.Incr(ctx, seqKey).Result()
	if err != nil {
		log.Printf("check-in %s/%s: incr: %v", cafeID, sessionID, err)
		http.Error(w, "queue unavailable", http.StatusServiceUnavailable)
		return
	}
	if n == 1 {
		// First ticket of the session: let the counter disappear after the day.
		if err := s.Redis.Expire(ctx, seqKey, 36*time.Hour).Err(); err != nil {
			log.Printf("check-in %s/%s: expire: %v", cafeID, sessionID, err)
		}
	}

	_, err = s.DB.ExecContext(ctx,
		`INSERT INTO repair_tickets (cafe_id, session_id, ticket_no, visitor_name, appliance, fault)
		 VALUES ($1, $2, $3, $4, $5, $6)`,
		cafeID, sessionID, n, req.VisitorName, req.Appliance, req.Fault)
	if err != nil {
		log.Printf("check-in %s/%s: insert ticket %d: %v", cafeID, sessionID, n, err)
		http.Error(w, "could not save ticket", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]int64{"ticket_no": n}); err != nil {
		log.Printf("check-in %s/%s: write response: %v", cafeID, sessionID, err)
	}
}

var releaseBench = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)

// ClaimBench lets a fixer take the soldering bench for one repair. SET NX
// with a TTL means a forgotten claim frees itself after 45 minutes.
func (s *Service) ClaimBench(ctx context.Context, cafeID, bench, fixerID string) (bool, error) {
	key := fmt.Sprintf("repaircafe:%s:bench:%s", cafeID, bench)
	ok, err := s.Redis.SetNX(ctx, key, fixerID, 45*time.Minute).Result()
	if err != nil {
		return false, fmt.Errorf("claim bench %s: %w", bench, err)
	}
	return ok, nil
}

func (s *Service) ReleaseBench(ctx context.Context, cafeID, bench, fixerID string) error {
	key := fmt.Sprintf("repaircafe:%s:bench:%s", cafeID, bench)
	err := releaseBench.Run(ctx, s.Redis, []string{key}, fixerID).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("release bench %s: %w", bench, err)
	}
	return nil
}
