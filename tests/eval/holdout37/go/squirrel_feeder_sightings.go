package feeders

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/lib/pq"
)

// Feeder metadata for the red squirrel group's count pages. Feeders change
// rarely (a volunteer moves one a few times a year), so a small in-process
// cache in front of Postgres saves most lookups.

type Feeder struct {
	ID       int64   `json:"id"`
	GroupID  int64   `json:"group_id"`
	Name     string  `json:"name"`
	GridRef  string  `json:"grid_ref"`
	Altitude float64 `json:"altitude_m"`
}

type Service struct {
	db       *sql.DB
	cache    *expirable.LRU[int64, Feeder]
	client   *http.Client
	atlasURL string
}

func NewService(db *sql.DB, atlasURL string) *Service {
	return &Service{
		db:       db,
		cache:    expirable.NewLRU[int64, Feeder](2048, nil, 30*time.Minute),
		client:   &http.Client{Timeout: 8 * time.Second},
		atlasURL: atlasURL,
	}
}

// Feeders returns metadata for the given ids, hitting the database once for
// whatever the cache doesn't hold.
func (s *Service) Feeders(ctx context.Context, groupID int64, ids []int64) (map[int64]Feeder, error) {
	out := make(map[int64]Feeder, len(ids))
	var missing []int64
	for _, id := range ids {
		if f, ok := s.cache.Get(id); ok && f.GroupID == groupID {
			out[id] = f
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}

	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, group_id, name, grid_ref, altitude_m
		FROM feeders
		WHERE group_id = $1 AND id = ANY($2)`, groupID, pq.Array(missing))
	if err != nil {
		return nil, fmt.Errorf("load feeders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f Feeder
		if err := rows.Scan(&f.ID, &f.GroupID, &f.Name, &f.GridRef, &f.Altitude); err != nil {
			return nil, fmt.Errorf("scan feeder: %w", err)
		}
		s.cache.Add(f.ID, f)
		out[f.ID] = f
	}
	return out, rows.Err()
}

// PushCount sends a verified weekly count to the county mammal atlas.
// The atlas rate-limits bursts, so retries back off exponentially with jitter.
func (s *Service) PushCount(ctx context.Context, payload []byte) error {
	const maxAttempts = 5
	delay := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := s.postOnce(ctx, payload)
		if err == nil {
			return nil
		}
		if attempt == maxAttempts {
			return fmt.Errorf("atlas push failed after %d attempts: %w", attempt, err)
		}
		sleep := delay/2 + rand.N(delay/2)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		delay = min(delay*2, 20*time.Second)
	}
}

func (s *Service) postOnce(ctx context.Context, payload []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.atlasURL+"/v1/records", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("atlas: %s: %s", resp.Status, msg)
	}
	return nil
}
