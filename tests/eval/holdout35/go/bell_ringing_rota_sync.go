package rota

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Slot is one bell on one service in the diocesan guild's rota feed.
type Slot struct {
	TowerID     int64  `json:"tower_id"`
	ServiceDate string `json:"service_date"`
	Service     string `json:"service"` // "Sunday Eucharist", "Evensong", ...
	Bell        int    `json:"bell"`
	RingerID    int64  `json:"ringer_id"`
}

type Syncer struct {
	Pool    *pgxpool.Pool
	Log     *slog.Logger
	BaseURL string
	Client  *http.Client
}

func NewSyncer(pool *pgxpool.Pool, log *slog.Logger, baseURL string) *Syncer {
	return &Syncer{
		Pool:    pool,
		Log:     log,
		BaseURL: baseURL,
		Client: &http.Client{
			Timeout: 15 * time.Second,
			Transport: &http.Transport{
				MaxIdleConnsPerHost: 4,
				IdleConnTimeout:     90 * time.Second,
			},
		},
	}
}

const (
	maxAttempts = 6
	baseDelay   = 500 * time.Millisecond
	maxDelay    = 30 * time.Second
)

// fetchTower pulls the next eight weeks of rota for one tower. The guild API
// is a small VPS that sometimes returns 503 during its nightly backup, so we
// retry with capped exponential backoff and full jitter.
func (s *Syncer) fetchTower(ctx context.Context, towerID int64) ([]Slot, error) {
	url := fmt.Sprintf("%s/towers/%d/rota?weeks=8", s.BaseURL, towerID)
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			backoff := baseDelay << (attempt - 1)
			if backoff > maxDelay {
				backoff = maxDelay
			}
			sleep := time.Duration(rand.Int64N(int64(backoff)))
			select {
			case <-time.After(sleep):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}

		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := s.Client.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		if resp.StatusCode >= 500 {
			resp.Body.Close()
			lastErr = fmt.Errorf("guild api: status %d", resp.StatusCode)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("guild api: tower %d: status %d", towerID, resp.StatusCode)
		}
		var slots []Slot
		err = json.NewDecoder(resp.Body).Decode(&slots)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("guild api: decode tower %d: %w", towerID, err)
		}
		return slots, nil
	}
	return nil, errors.Join(fmt.Errorf("guild api: tower %d gave up after %d attempts", towerID, maxAttempts), lastErr)
}

// SyncTower replaces the tower's upcoming rota in one round trip.
func (s *Syncer) SyncTower(ctx context.Context, towerID int64) error {
	slots, err := s.fetchTower(ctx, towerID)
	if err != nil {
		s.Log.Warn("rota sync failed", "tower", towerID, "err", err)
		return err
	}
	buf, err := json.Marshal(slots)
	if err != nil {
		return fmt.Errorf("encode slots: %w", err)
	}
	_, err = s.Pool.Exec(ctx, `
		INSERT INTO ringing_rota (tower_id, service_date, service, bell, ringer_id)
		SELECT $1, (j->>'service_date')::date, j->>'service', (j->>'bell')::int, (j->>'ringer_id')::bigint
		  FROM jsonb_array_elements($2::jsonb) AS j
		ON CONFLICT (tower_id, service_date, service, bell)
		DO UPDATE SET ringer_id = EXCLUDED.ringer_id, synced_at = now()`, towerID, buf)
	if err != nil {
		return fmt.Errorf("upsert rota for tower %d: %w", towerID, err)
	}
	return nil
}
