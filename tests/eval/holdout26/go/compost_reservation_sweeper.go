package sweeper

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Residents book a 30-minute drop-off window at the community compost site
// (green waste, wood chip, food caddies). An unconfirmed reservation expires
// after two hours, and the webhook idempotency keys from the weighbridge are
// only needed for two days. Sweeper removes both; main() starts one Sweeper
// per process with the server's root context and cancels it on shutdown.

type Sweeper struct {
	DB       *sql.DB
	Log      *slog.Logger
	Interval time.Duration // e.g. 5 * time.Minute
	Batch    int           // rows per DELETE, e.g. 1000
}

const (
	baseBackoff = 500 * time.Millisecond
	maxBackoff  = 30 * time.Second
	maxAttempts = 6
)

// Run blocks until ctx is cancelled.
func (s *Sweeper) Run(ctx context.Context) {
	ticker := time.NewTicker(s.Interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			s.sweepWithRetry(ctx)
		}
	}
}

func (s *Sweeper) sweepWithRetry(ctx context.Context) {
	backoff := baseBackoff
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err := s.sweepOnce(ctx)
		if err == nil {
			return
		}
		s.Log.Warn("compost sweep failed", "attempt", attempt, "err", err)
		// Exponential backoff with full jitter, capped at maxBackoff.
		wait := time.Duration(rand.Int64N(int64(backoff)) + 1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(backoff*2, maxBackoff)
	}
	s.Log.Error("compost sweep gave up until next tick", "attempts", maxAttempts)
}

func (s *Sweeper) sweepOnce(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	reservations, err := s.deleteInBatches(ctx, `
		DELETE FROM dropoff_reservations
		WHERE id IN (
			SELECT id FROM dropoff_reservations
			WHERE status = 'pending' AND expires_at < now()
			ORDER BY expires_at
			LIMIT $1)`)
	if err != nil {
		return fmt.Errorf("expired reservations: %w", err)
	}
	keys, err := s.deleteInBatches(ctx, `
		DELETE FROM weighbridge_event_keys
		WHERE event_id IN (
			SELECT event_id FROM weighbridge_event_keys
			WHERE received_at < now() - interval '48 hours'
			LIMIT $1)`)
	if err != nil {
		return fmt.Errorf("old weighbridge keys: %w", err)
	}
	s.Log.Info("compost sweep done", "reservations", reservations, "event_keys", keys)
	return nil
}

// deleteInBatches repeats a bounded DELETE until a batch comes back short,
// so one sweep never holds a long lock on the table.
func (s *Sweeper) deleteInBatches(ctx context.Context, stmt string) (int64, error) {
	var total int64
	for {
		res, err := s.DB.ExecContext(ctx, stmt, s.Batch)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		if n < int64(s.Batch) {
			return total, nil
		}
	}
}
