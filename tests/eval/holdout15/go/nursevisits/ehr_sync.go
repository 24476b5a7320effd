package nursevisits

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand"
	"net/http"
	"time"

	"github.com/lib/pq"
	"golang.org/x/sync/errgroup"
)

// ehrClient is shared by all workers; the timeout covers dial, TLS, headers and body.
var ehrClient = &http.Client{Timeout: 15 * time.Second}

type Visit struct {
	ID        int64
	AgencyID  int64
	PatientID string
	NoteJSON  []byte
}

type Syncer struct {
	DB *sql.DB
}

// RunOnce claims a batch of completed visit notes and pushes them to each
// agency's EHR. Called every 30s by the scheduler goroutine in cmd/worker.
func (s *Syncer) RunOnce(ctx context.Context) error {
	rows, err := s.DB.QueryContext(ctx, `
		UPDATE visits SET sync_status = 'in_flight', sync_claimed_at = now()
		 WHERE id IN (SELECT id FROM visits
		               WHERE sync_status = 'pending'
		                  OR (sync_status = 'in_flight' AND sync_claimed_at < now() - interval '10 minutes')
		               ORDER BY completed_at
		               LIMIT 200
		               FOR UPDATE SKIP LOCKED)
		RETURNING id, agency_id, patient_id, note_json`)
	if err != nil {
		return fmt.Errorf("claim visits: %w", err)
	}
	defer rows.Close()

	var batch []Visit
	agencySet := map[int64]struct{}{}
	for rows.Next() {
		var v Visit
		if err := rows.Scan(&v.ID, &v.AgencyID, &v.PatientID, &v.NoteJSON); err != nil {
			return err
		}
		batch = append(batch, v)
		agencySet[v.AgencyID] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) == 0 {
		return nil
	}

	endpoints, err := s.loadEndpoints(ctx, agencySet)
	if err != nil {
		return err
	}

	// the EHR APIs only accept one note per request; push up to 8 at a time
	statuses := make([]string, len(batch))
	var g errgroup.Group
	g.SetLimit(8)
	for i, v := range batch {
		i, v := i, v
		g.Go(func() error {
			statuses[i] = "synced"
			if err := pushWithRetry(ctx, endpoints[v.AgencyID], v); err != nil {
				slog.Error("ehr push failed", "visit", v.ID, "agency", v.AgencyID, "err", err)
				statuses[i] = "failed"
			}
			return nil
		})
	}
	g.Wait()

	ids := make([]int64, len(batch))
	for i, v := range batch {
		ids[i] = v.ID
	}
	_, err = s.DB.ExecContext(ctx, `
		UPDATE visits v SET sync_status = u.status
		  FROM unnest($1::bigint[], $2::text[]) AS u(id, status)
		 WHERE v.id = u.id AND v.sync_status = 'in_flight'`, pq.Array(ids), pq.Array(statuses))
	if err != nil {
		return fmt.Errorf("record sync status: %w", err)
	}
	return nil
}

// loadEndpoints fetches the EHR URL for every agency in the batch in one query.
func (s *Syncer) loadEndpoints(ctx context.Context, set map[int64]struct{}) (map[int64]string, error) {
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, ehr_endpoint FROM agencies WHERE id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var url string
		if err := rows.Scan(&id, &url); err != nil {
			return nil, err
		}
		out[id] = url
	}
	return out, rows.Err()
}

// pushWithRetry: up to 5 attempts, exponential backoff with full jitter, capped at 20s.
func pushWithRetry(ctx context.Context, endpoint string, v Visit) error {
	body, _ := json.Marshal(map[string]any{"patient_id": v.PatientID, "visit_id": v.ID, "note": json.RawMessage(v.NoteJSON)})
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		if attempt > 0 {
			backoff := time.Duration(1<<attempt) * 500 * time.Millisecond
			if backoff > 20*time.Second {
				backoff = 20 * time.Second
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(rand.Int63n(int64(backoff)))):
			}
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("visit-%d", v.ID))
		resp, err := ehrClient.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return nil
		}
		lastErr = fmt.Errorf("ehr returned %d", resp.StatusCode)
		if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			return lastErr // 4xx won't get better on retry
		}
	}
	return lastErr
}
