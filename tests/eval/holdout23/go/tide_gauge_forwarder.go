// Package forwarder pushes quality-checked tide-gauge readings from the
// harbour stations to the regional hydrographic office. It runs as a single
// background worker next to the ingest service.
package forwarder

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/lib/pq"
)

type Reading struct {
	ID         int64     `json:"-"`
	StationID  string    `json:"station_id"`
	ObservedAt time.Time `json:"observed_at"`
	LevelMM    int       `json:"level_mm"`
	QCFlag     string    `json:"qc_flag"`
}

type Forwarder struct {
	db       *sql.DB
	endpoint string
	token    string
	client   *http.Client
	log      *slog.Logger
}

func New(db *sql.DB, endpoint, token string, log *slog.Logger) *Forwarder {
	return &Forwarder{
		db:       db,
		endpoint: endpoint,
		token:    token,
		client:   &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}},
		log:      log,
	}
}

// Run forwards pending readings every 30 seconds until ctx is cancelled.
func (f *Forwarder) Run(ctx context.Context) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := f.forwardPending(ctx); err != nil {
				f.log.Error("forward pending readings", "err", err)
			}
		}
	}
}

func (f *Forwarder) forwardPending(ctx context.Context) error {
	qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	rows, err := f.db.QueryContext(qctx, `SELECT id, station_id, observed_at, level_mm, qc_flag FROM readings WHERE forwarded_at IS NULL AND qc_flag <> 'reject' ORDER BY observed_at LIMIT 500`)
	if err != nil {
		return fmt.Errorf("load pending: %w", err)
	}
	var batch []Reading
	var ids []int64
	for rows.Next() {
		var r Reading
		if err := rows.Scan(&r.ID, &r.StationID, &r.ObservedAt, &r.LevelMM, &r.QCFlag); err != nil {
			rows.Close()
			return err
		}
		batch = append(batch, r)
		ids = append(ids, r.ID)
	}
	rows.Close()
	if len(batch) == 0 {
		return nil
	}

	if err := f.push(ctx, batch); err != nil {
		return err
	}
	uctx, ucancel := context.WithTimeout(ctx, 5*time.Second)
	defer ucancel()
	_, err = f.db.ExecContext(uctx, `UPDATE readings SET forwarded_at = now() WHERE id = ANY($1)`, pq.Array(ids))
	return err
}

func (f *Forwarder) push(ctx context.Context, batch []Reading) error {
	body, err := json.Marshal(map[string]any{"readings": batch})
	if err != nil {
		return err
	}

	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.endpoint+"/v2/readings", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+f.token)
		req.Header.Set("Content-Type", "application/json")

		resp, err := f.client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			lastErr = fmt.Errorf("hydro office returned %s", resp.Status)
		} else {
			lastErr = err
		}
		f.log.Warn("push failed", "attempt", attempt, "batch", len(batch), "err", lastErr)
		time.Sleep(750 * time.Millisecond)
	}
	return fmt.Errorf("push gave up after 5 attempts: %w", lastErr)
}
