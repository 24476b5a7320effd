package lookout

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// FireWeather fetches the fire-danger index for the lookout towers so the
// shift planner can ask for double staffing on high-danger days.
type FireWeather struct {
	base string
	http *http.Client
	log  *slog.Logger
}

func NewFireWeather(base string, log *slog.Logger) *FireWeather {
	return &FireWeather{base: base, log: log, http: &http.Client{Timeout: 8 * time.Second}}
}

// DangerIndex asks for all towers in one request and retries 429/5xx with
// capped exponential backoff and full jitter.
func (f *FireWeather) DangerIndex(ctx context.Context, towerIDs []string) (map[string]int, error) {
	u := f.base + "/v1/fdi?" + url.Values{"stations": {strings.Join(towerIDs, ",")}}.Encode()
	const maxAttempts = 5
	backoff, maxBackoff := 500*time.Millisecond, 10*time.Second

	var lastErr error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := f.http.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			var out map[string]int
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			return out, err
		}
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
				return nil, fmt.Errorf("fire weather: %s", resp.Status)
			}
			err = fmt.Errorf("fire weather: %s", resp.Status)
		}
		lastErr = err
		f.log.Warn("fire weather request failed", "attempt", attempt, "err", err)
		if attempt == maxAttempts {
			break
		}

		sleep := time.Duration(rand.Int63n(int64(backoff)))
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		backoff = min(backoff*2, maxBackoff)
	}
	return nil, fmt.Errorf("fire weather unavailable after %d attempts: %w", maxAttempts, lastErr)
}

// HoldShift reserves a tower shift for 15 minutes while a volunteer confirms.
func HoldShift(ctx context.Context, db *sql.DB, shiftID, volunteerID int64) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := db.ExecContext(ctx, `INSERT INTO shift_holds (shift_id, volunteer_id, expires_at) VALUES ($1, $2, now() + interval '15 minutes') ON CONFLICT (shift_id) DO UPDATE SET volunteer_id = EXCLUDED.volunteer_id, expires_at = EXCLUDED.expires_at WHERE shift_holds.expires_at < now()`,
		shiftID, volunteerID)
	if err != nil {
		return false, fmt.Errorf("hold shift %d: %w", shiftID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// PurgeExpiredHolds runs in the worker process and deletes stale holds.
func PurgeExpiredHolds(ctx context.Context, db *sql.DB, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			res, err := db.ExecContext(qctx, `DELETE FROM shift_holds WHERE expires_at < now() - interval '1 hour'`)
			cancel()
			if err != nil {
				log.Error("purge shift holds", "err", err)
				continue
			}
			n, err := res.RowsAffected()
			if err != nil {
				log.Warn("purge shift holds: row count", "err", err)
				continue
			}
			log.Info("purged expired shift holds", "rows", n)
		}
	}
}
