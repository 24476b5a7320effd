package pickups

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
)

// Worker runs inside the pickups-worker deployment (a single replica, leader
// elected). It does two things on a ticker:
//   - purges expired pickup-slot holds left behind by abandoned sign-ups
//   - sends tomorrow's bottle-bank pickups to the hauler's routing API
type Worker struct {
	DB        *sql.DB
	HTTP      *http.Client
	RoutesURL string
	Log       *slog.Logger
}

func NewWorker(db *sql.DB, routesURL string, log *slog.Logger) *Worker {
	return &Worker{
		DB:        db,
		HTTP:      &http.Client{Timeout: 10 * time.Second},
		RoutesURL: routesURL,
		Log:       log,
	}
}

func (w *Worker) Run(ctx context.Context) {
	purge := time.NewTicker(10 * time.Minute)
	dispatch := time.NewTicker(time.Hour)
	defer purge.Stop()
	defer dispatch.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-purge.C:
			if err := w.purgeExpiredHolds(ctx); err != nil {
				w.Log.Error("purge expired holds", "err", err)
			}
		case <-dispatch.C:
			if err := w.dispatchTomorrow(ctx); err != nil {
				w.Log.Error("dispatch pickups", "err", err)
			}
		}
	}
}

// purgeExpiredHolds deletes in small batches so it never holds long locks.
func (w *Worker) purgeExpiredHolds(ctx context.Context) error {
	for {
		qctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		res, err := w.DB.ExecContext(qctx, `
			DELETE FROM pickup_slot_holds
			WHERE id IN (
				SELECT id FROM pickup_slot_holds
				WHERE expires_at < now() - interval '1 hour'
				LIMIT 5000
			)`)
		cancel()
		if err != nil {
			return fmt.Errorf("delete batch: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		w.Log.Info("purged expired holds", "rows", n)
		if n < 5000 {
			return nil
		}
	}
}

func (w *Worker) dispatchTomorrow(ctx context.Context) error {
	day := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	body, err := json.Marshal(map[string]string{"date": day, "depot": "north"})
	if err != nil {
		return err
	}
	return w.postWithBackoff(ctx, body, "routes-"+day)
}

// postWithBackoff retries on network errors and 5xx with capped exponential
// backoff and full jitter, at most 6 attempts.
func (w *Worker) postWithBackoff(ctx context.Context, body []byte, idemKey string) error {
	const maxAttempts = 6
	base, maxDelay := 500*time.Millisecond, 30*time.Second
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			backoff := min(base<<attempt, maxDelay)
			sleep := time.Duration(rand.Int64N(int64(backoff)))
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(sleep):
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.RoutesURL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", idemKey)
		resp, err := w.HTTP.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode < 500 {
			if resp.StatusCode >= 300 {
				return fmt.Errorf("routing API rejected pickups: %d", resp.StatusCode)
			}
			return nil
		}
		lastErr = fmt.Errorf("routing API returned %d", resp.StatusCode)
	}
	return fmt.Errorf("after %d attempts: %w", maxAttempts, lastErr)
}
