package nets

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

// Availability grid for the village cricket club's practice nets. Members open
// the booking page most evenings in season, so the grid is cached in Redis.

type LaneSlot struct {
	Lane      int       `json:"lane"`
	StartsAt  time.Time `json:"starts_at"`
	Surface   string    `json:"surface"`
	Free      bool      `json:"free"`
	BowlerMac bool      `json:"bowling_machine"`
}

type AvailabilityHandler struct {
	DB    *sql.DB
	Redis *redis.Client
}

const gridTTL = 2 * time.Minute

func (h *AvailabilityHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	memberID, ok := ctx.Value(memberKey{}).(int64)
	if !ok {
		http.Error(w, "sign in to book nets", http.StatusUnauthorized)
		return
	}
	day := r.URL.Query().Get("date")
	if _, err := time.Parse("2006-01-02", day); err != nil {
		http.Error(w, "date must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}

	key := fmt.Sprintf("nets:grid:%d:%s", memberID, day)
	cached, err := h.Redis.Get(ctx, key).Bytes()
	if err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(cached)
		return
	}
	if !errors.Is(err, redis.Nil) {
		log.Printf("redis get %s: %v", key, err)
	}

	grid, err := h.buildGrid(ctx, day)
	if err != nil {
		log.Printf("build nets grid for %s: %v", day, err)
		http.Error(w, "could not load availability", http.StatusInternalServerError)
		return
	}
	body, err := json.Marshal(grid)
	if err != nil {
		http.Error(w, "could not encode availability", http.StatusInternalServerError)
		return
	}
	if err := h.Redis.Set(ctx, key, body, gridTTL).Err(); err != nil {
		log.Printf("redis set %s: %v", key, err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// buildGrid expands every lane's opening hours into 30 minute slots and marks
// the ones already taken by member bookings, junior coaching or team practice.
func (h *AvailabilityHandler) buildGrid(ctx context.Context, day string) ([]LaneSlot, error) {
	rows, err := h.DB.QueryContext(ctx, `
		WITH slots AS (
			SELECT l.lane_no, l.surface, l.has_bowling_machine,
			       generate_series(($1::date + l.opens_at), ($1::date + l.closes_at - interval '30 minutes'), interval '30 minutes') AS starts_at
			FROM net_lanes l
			WHERE l.in_service
		)
		SELECT s.lane_no, s.starts_at, s.surface, s.has_bowling_machine,
		       NOT EXISTS (
		           SELECT 1 FROM net_bookings b
		           WHERE b.lane_no = s.lane_no AND b.cancelled_at IS NULL
		             AND tstzrange(b.starts_at, b.ends_at) @> s.starts_at
		       ) AND NOT EXISTS (
		           SELECT 1 FROM coaching_sessions cs
		           WHERE cs.lane_no = s.lane_no
		             AND tstzrange(cs.starts_at, cs.ends_at) @> s.starts_at
		       ) AS free
		FROM slots s
		ORDER BY s.lane_no, s.starts_at`, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var grid []LaneSlot
	for rows.Next() {
		var s LaneSlot
		if err := rows.Scan(&s.Lane, &s.StartsAt, &s.Surface, &s.BowlerMac, &s.Free); err != nil {
			return nil, err
		}
		grid = append(grid, s)
	}
	return grid, rows.Err()
}

type memberKey struct{}
