// Repair café ticket desk: visitors queue an item (toaster, bike, lamp) for the
// next session. Runs as 3 replicas on Fly.io, so the submission limit is kept
// in Redis where every replica sees the same counters.
package tickets

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

const (
	ticketsPerHour = 5
	limitWindow    = time.Hour
)

type Desk struct {
	Pool  *pgxpool.Pool
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

// visitorKey prefers the signed-in visitor account; anonymous visitors are keyed
// by the TCP peer address, which Fly's proxy preserves for us.
func visitorKey(r *http.Request) string {
	if id, ok := r.Context().Value(visitorIDKey{}).(string); ok && id != "" {
		return "acct:" + id
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "peer:" + host
}

func (d *Desk) allow(ctx context.Context, who string) (bool, error) {
	key := fmt.Sprintf("repaircafe:tickets:%s:%d", who, time.Now().Unix()/int64(limitWindow.Seconds()))
	var incr *redis.IntCmd
	_, err := d.Redis.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.Incr(ctx, key)
		p.Expire(ctx, key, limitWindow+time.Minute)
		return nil
	})
	if err != nil {
		return false, err
	}
	return incr.Val() <= ticketsPerHour, nil
}

type newTicket struct {
	SessionID int64  `json:"session_id"`
	Item      string `json:"item"`
	Fault     string `json:"fault"`
}

// CreateTicket handles POST /tickets.
func (d *Desk) CreateTicket(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	ok, err := d.allow(ctx, visitorKey(r))
	if err != nil {
		log.Printf("tickets: rate limit check: %v", err)
		http.Error(w, "ticket desk busy, try again shortly", http.StatusServiceUnavailable)
		return
	}
	if !ok {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "that's plenty of broken things for one hour", http.StatusTooManyRequests)
		return
	}

	var in newTicket
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<10)).Decode(&in); err != nil || in.Item == "" {
		http.Error(w, "item and session are required", http.StatusBadRequest)
		return
	}
	var id int64
	err = d.Pool.QueryRow(ctx,
		`INSERT INTO repair_tickets (session_id, item, fault, visitor) VALUES ($1, $2, $3, $4) RETURNING id`,
		in.SessionID, in.Item, in.Fault, visitorKey(r)).Scan(&id)
	if err != nil {
		log.Printf("tickets: insert: %v", err)
		http.Error(w, "could not queue your item", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	if err := json.NewEncoder(w).Encode(map[string]int64{"ticket": id}); err != nil {
		log.Printf("tickets: encode: %v", err)
	}
}

type visitorIDKey struct{}
