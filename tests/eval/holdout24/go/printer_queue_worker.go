package printq

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand"
	"net/http"
	"time"
)

// Worker feeds queued print jobs to one of the makerspace's OctoPrint hosts.
// One worker process runs next to each printer, all sharing the same queue table.
type Worker struct {
	DB        *sql.DB
	PrinterID string
	Material  string // PLA, PETG, TPU — a printer only takes jobs for the spool it has loaded
	Octo      *http.Client
	OctoURL   string
	APIKey    string
	Log       *slog.Logger
}

type Job struct {
	ID       int64
	MemberID int64
	GCode    []byte
}

func NewOctoClient() *http.Client {
	return &http.Client{Timeout: 20 * time.Second}
}

// claimNext takes the highest-priority queued job for this printer's material.
// SKIP LOCKED lets the other printers' workers pass over a row being claimed.
func (w *Worker) claimNext(ctx context.Context) (*Job, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	var j Job
	err := w.DB.QueryRowContext(ctx, `
		UPDATE print_jobs SET status = 'printing', printer_id = $1, started_at = now()
		WHERE id = (
			SELECT id FROM print_jobs
			WHERE status = 'queued' AND material = $2
			ORDER BY priority DESC, queued_at
			LIMIT 1
			FOR UPDATE SKIP LOCKED
		)
		RETURNING id, member_id, gcode`, w.PrinterID, w.Material).Scan(&j.ID, &j.MemberID, &j.GCode)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim job: %w", err)
	}
	return &j, nil
}

// upload sends the G-code to OctoPrint, retrying transient failures with
// capped exponential backoff and full jitter.
func (w *Worker) upload(ctx context.Context, j *Job) error {
	const maxAttempts = 5
	backoff := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := w.uploadOnce(ctx, j)
		if err == nil {
			return nil
		}
		if attempt == maxAttempts {
			return fmt.Errorf("upload job %d after %d attempts: %w", j.ID, attempt, err)
		}
		sleep := time.Duration(rand.Int63n(int64(backoff)))
		w.Log.Warn("octoprint upload failed, retrying", "job", j.ID, "attempt", attempt, "in", sleep, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		backoff = min(backoff*2, 15*time.Second)
	}
}

func (w *Worker) uploadOnce(ctx context.Context, j *Job) error {
	url := fmt.Sprintf("%s/api/files/local?print=true&job=%d", w.OctoURL, j.ID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(j.GCode))
	if err != nil {
		return err
	}
	req.Header.Set("X-Api-Key", w.APIKey)
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := w.Octo.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("octoprint: status %d", resp.StatusCode)
	}
	return nil
}

// RunOnce claims and starts a single job; the caller loops with a poll interval.
func (w *Worker) RunOnce(ctx context.Context) error {
	j, err := w.claimNext(ctx)
	if err != nil || j == nil {
		return err
	}
	if err := w.upload(ctx, j); err != nil {
		w.Log.Error("job failed to start", "job", j.ID, "err", err)
		dbCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, dbErr := w.DB.ExecContext(dbCtx,
			`UPDATE print_jobs SET status = 'failed', error = $1 WHERE id = $2`, err.Error(), j.ID); dbErr != nil {
			return errors.Join(err, dbErr)
		}
		return err
	}
	return nil
}
