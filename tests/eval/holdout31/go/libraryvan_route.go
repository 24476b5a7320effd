package route

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"golang.org/x/sync/singleflight"
)

// Builds the mobile library van's daily route sheet: the stops for the van, how many
// reserved items wait at each stop, and drive times from the county routing service.

type Stop struct {
	ID  int64   `db:"id"`
	Seq int     `db:"seq"`
	Lat float64 `db:"lat"`
	Lon float64 `db:"lon"`
}

type Service struct {
	db      *sqlx.DB
	routing *http.Client
	matrix  *expirable.LRU[string, []float64] // bounded: 512 routes, 6 h TTL
	flight  singleflight.Group
}

func NewService(db *sqlx.DB) *Service {
	return &Service{
		db:      db,
		routing: &http.Client{Timeout: 10 * time.Second},
		matrix:  expirable.NewLRU[string, []float64](512, nil, 6*time.Hour),
	}
}

func (s *Service) RouteSheet(ctx context.Context, councilID, vanID int64, day time.Time) ([]Stop, map[int64]int, []float64, error) {
	var stops []Stop
	if err := s.db.SelectContext(ctx, &stops,
		`SELECT id, seq, lat, lon FROM van_stops
		  WHERE council_id = $1 AND van_id = $2 AND weekday = $3
		  ORDER BY seq LIMIT 60`, councilID, vanID, int(day.Weekday())); err != nil {
		return nil, nil, nil, fmt.Errorf("stops: %w", err)
	}
	ids := make([]int64, len(stops))
	for i, st := range stops {
		ids[i] = st.ID
	}

	// One query for every stop's reservations.
	var counts []struct {
		StopID int64 `db:"stop_id"`
		N      int   `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &counts,
		`SELECT stop_id, count(*) AS n FROM reservations
		  WHERE council_id = $1 AND stop_id = ANY($2) AND collect_on = $3
		  GROUP BY stop_id`, councilID, pq.Array(ids), day.Format("2006-01-02")); err != nil {
		return nil, nil, nil, fmt.Errorf("reservation counts: %w", err)
	}
	waiting := make(map[int64]int, len(counts))
	for _, c := range counts {
		waiting[c.StopID] = c.N
	}

	key := fmt.Sprintf("%d:%d", vanID, day.Weekday())
	if mins, ok := s.matrix.Get(key); ok {
		return stops, waiting, mins, nil
	}
	v, err, _ := s.flight.Do(key, func() (any, error) {
		mins, err := s.driveTimes(ctx, stops)
		if err == nil {
			s.matrix.Add(key, mins)
		}
		return mins, err
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("drive times: %w", err)
	}
	return stops, waiting, v.([]float64), nil
}

// driveTimes asks the routing service for leg durations in one call, retrying
// transient failures with capped exponential backoff and full jitter.
func (s *Service) driveTimes(ctx context.Context, stops []Stop) ([]float64, error) {
	body, _ := json.Marshal(map[string]any{"points": stops, "profile": "van"})
	backoff := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "https://routing.county.example/v1/legs", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.routing.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			defer resp.Body.Close()
			var out struct{ Minutes []float64 `json:"minutes"` }
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				return nil, fmt.Errorf("decode legs: %w", err)
			}
			return out.Minutes, nil
		}
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("routing status %d", resp.StatusCode)
		}
		if attempt == 4 {
			return nil, err
		}
		select {
		case <-time.After(rand.N(backoff)):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		backoff = min(backoff*2, 3*time.Second)
	}
}
