package adoptions

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/lib/pq"
)

// Background worker for the ferret rescue. Every five minutes it
//  1. deletes adoption holds whose 48h reservation window has passed, and
//  2. pushes newly adopted ferrets to the regional microchip registry.

type Worker struct {
	DB          *sql.DB
	Log         *slog.Logger
	RegistryURL string
	HTTP        *http.Client
}

func NewWorker(db *sql.DB, log *slog.Logger, registryURL string) *Worker {
	return &Worker{
		DB:          db,
		Log:         log,
		RegistryURL: registryURL,
		HTTP:        &http.Client{Timeout: 15 * time.Second},
	}
}

func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		if err := w.tick(ctx); err != nil {
			w.Log.Error("adoption worker tick failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (w *Worker) tick(ctx context.Context) error {
	res, err := w.DB.ExecContext(ctx,
		`DELETE FROM adoption_holds WHERE expires_at < now()`)
	if err != nil {
		return fmt.Errorf("purge expired holds: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		w.Log.Info("purged expired adoption holds", "count", n)
	}

	var ids []int64
	var chips []string
	rows, err := w.DB.QueryContext(ctx,
		`SELECT id, microchip FROM ferrets WHERE adopted_at IS NOT NULL AND registry_synced_at IS NULL ORDER BY id LIMIT 100`)
	if err != nil {
		return fmt.Errorf("load unsynced ferrets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var chip string
		if err := rows.Scan(&id, &chip); err != nil {
			return fmt.Errorf("scan ferret: %w", err)
		}
		ids, chips = append(ids, id), append(chips, chip)
	}
	if len(ids) == 0 {
		return rows.Err()
	}

	if err := w.pushWithBackoff(ctx, chips); err != nil {
		return fmt.Errorf("registry push of %d chips: %w", len(chips), err)
	}
	_, err = w.DB.ExecContext(ctx,
		`UPDATE ferrets SET registry_synced_at = now() WHERE id = ANY($1)`, pq.Array(ids))
	return err
}

// pushWithBackoff retries with capped exponential backoff and full jitter.
func (w *Worker) pushWithBackoff(ctx context.Context, chips []string) error {
	body, err := json.Marshal(map[string]any{"microchips": chips, "status": "rehomed"})
	if err != nil {
		return err
	}
	const maxAttempts = 5
	base, maxDelay := 500*time.Millisecond, 30*time.Second
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.RegistryURL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := w.HTTP.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
				if resp.StatusCode >= 300 {
					return fmt.Errorf("registry rejected batch: %s", resp.Status)
				}
				return nil
			}
			err = fmt.Errorf("registry status %s", resp.Status)
		}
		lastErr = err
		w.Log.Warn("registry push failed, backing off", "attempt", attempt+1, "err", err)

		delay := min(maxDelay, base<<attempt)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(rand.Int64N(int64(delay)))):
		}
	}
	return lastErr
}
