// Command millworker is the background worker for the tidal mill's grinding
// log: it purges expired draft logs and sends the nightly tonnage summary to
// the heritage trust's reporting API.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
)

var trustClient = &http.Client{Timeout: 10 * time.Second}

// purgeExpiredDrafts removes half-filled grinding logs the miller abandoned.
// Drafts carry an expires_at 48 h after they were opened.
func purgeExpiredDrafts(ctx context.Context, db *sql.DB) (int64, error) {
	var total int64
	for {
		qctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		res, err := db.ExecContext(qctx, `
			DELETE FROM grinding_log_drafts
			 WHERE id IN (SELECT id FROM grinding_log_drafts
			               WHERE expires_at < now()
			               LIMIT 2000)`)
		cancel()
		if err != nil {
			return total, fmt.Errorf("purge drafts: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("purge drafts rows affected: %w", err)
		}
		total += n
		if n < 2000 {
			return total, nil
		}
	}
}

type summary struct {
	Day          string  `json:"day"`
	Tides        int     `json:"tides_worked"`
	FlourTonnes  float64 `json:"flour_tonnes"`
}

// postSummary retries with capped exponential backoff and full jitter so a
// trust API outage doesn't get hammered by every mill at 02:00.
func postSummary(ctx context.Context, url string, s summary) error {
	body, err := json.Marshal(s)
	if err != nil {
		return err
	}
	const maxAttempts = 5
	backoff := 2 * time.Second
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := trustClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				if resp.StatusCode >= 300 {
					return fmt.Errorf("trust API rejected summary: %d", resp.StatusCode)
				}
				return nil
			}
			err = fmt.Errorf("trust API status %d", resp.StatusCode)
		}
		if attempt == maxAttempts {
			return fmt.Errorf("post summary after %d attempts: %w", attempt, err)
		}
		log.Printf("post summary attempt %d: %v", attempt, err)
		sleep := time.Duration(rand.Int63n(int64(backoff)))
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(backoff*2, time.Minute)
	}
}

// main runs once per night from the Kubernetes CronJob "mill-nightly"
// (schedule "0 2 * * *", concurrencyPolicy: Forbid).
func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatalf("open db: %v", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(4)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	n, err := purgeExpiredDrafts(ctx, db)
	if err != nil {
		log.Fatalf("purge: %v", err)
	}
	log.Printf("purged %d expired draft logs", n)

	var s summary
	err = db.QueryRowContext(ctx, `
		SELECT to_char(current_date - 1, 'YYYY-MM-DD'), count(*), coalesce(sum(flour_kg), 0) / 1000
		  FROM grinding_logs
		 WHERE ground_on = current_date - 1`).Scan(&s.Day, &s.Tides, &s.FlourTonnes)
	if err != nil {
		log.Fatalf("daily summary query: %v", err)
	}
	// The trust API upserts on (mill, day), so a re-run of the job is harmless.
	if err := postSummary(ctx, os.Getenv("TRUST_API_URL")+"/v1/mill-summaries", s); err != nil {
		log.Fatalf("daily summary: %v", err)
	}
}
