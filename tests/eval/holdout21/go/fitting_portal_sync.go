package fittings

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// PortalSync pushes completed hearing-aid fittings to the manufacturer's
// warranty portal. The portal registers the serial numbers against the
// patient's audiogram so that remote fine-tuning works from day one.
type PortalSync struct {
	db      *sql.DB
	client  *http.Client
	baseURL string
	apiKey  string
	log     *slog.Logger
}

func NewPortalSync(db *sql.DB, baseURL, apiKey string, log *slog.Logger) *PortalSync {
	return &PortalSync{
		db:      db,
		client:  &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}},
		baseURL: baseURL,
		apiKey:  apiKey,
		log:     log,
	}
}

type fittingRecord struct {
	ID           int64     `json:"fitting_id"`
	LeftSerial   string    `json:"left_serial"`
	RightSerial  string    `json:"right_serial"`
	Model        string    `json:"model"`
	AudiogramRef string    `json:"audiogram_ref"`
	FittedAt     time.Time `json:"fitted_at"`
}

// Run is called every ten minutes by the clinic's scheduler.
func (s *PortalSync) Run(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, left_serial, right_serial, model, audiogram_ref, fitted_at
		FROM fittings
		WHERE portal_synced_at IS NULL AND status = 'completed'
		ORDER BY fitted_at
		LIMIT 100`)
	if err != nil {
		return fmt.Errorf("load fittings: %w", err)
	}
	defer rows.Close()

	var batch []fittingRecord
	for rows.Next() {
		var f fittingRecord
		if err := rows.Scan(&f.ID, &f.LeftSerial, &f.RightSerial, &f.Model, &f.AudiogramRef, &f.FittedAt); err != nil {
			return err
		}
		batch = append(batch, f)
	}
	if err := rows.Err(); err != nil {
		return err
	}

	for _, f := range batch {
		if err := s.push(ctx, f); err != nil {
			s.log.Warn("portal push failed", "fitting_id", f.ID, "err", err)
			continue
		}
		if _, err := s.db.ExecContext(ctx,
			`UPDATE fittings SET portal_synced_at = now() WHERE id = $1`, f.ID); err != nil {
			continue
		}
	}
	return nil
}

// push registers one fitting. The portal is flaky around midnight CET when it
// runs its own batch jobs, so a few attempts are made before giving up.
func (s *PortalSync) push(ctx context.Context, f fittingRecord) error {
	body, err := json.Marshal(f)
	if err != nil {
		return err
	}
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.baseURL+"/v2/registrations", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+s.apiKey)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("fitting-%d", f.ID))

		resp, err := s.client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 || resp.StatusCode == http.StatusConflict {
				return nil
			}
			lastErr = fmt.Errorf("portal returned %d", resp.StatusCode)
		} else {
			lastErr = err
		}
		time.Sleep(2 * time.Second)
	}
	return lastErr
}
