// shiftsync pushes upcoming volunteer shifts to the partner calendar service.
// Run by hand or from the ops box crontab (single process): shiftsync -days 14
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Shift is one calendar event on the partner side.
type Shift struct {
	ID       int64     `db:"id" json:"external_id"`
	OrgID    int64     `db:"org_id" json:"-"`
	Title    string    `db:"title" json:"title"`
	StartsAt time.Time `db:"starts_at" json:"start"`
	EndsAt   time.Time `db:"ends_at" json:"end"`
	TZ       string    `db:"-" json:"timezone"`
}

const pageSize = 200

var client = &http.Client{Timeout: 15 * time.Second}

func main() {
	days := flag.Int("days", 14, "how many days ahead to sync")
	dsn := flag.String("dsn", os.Getenv("VOLUNTEER_DSN"), "postgres dsn")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	db := sqlx.MustConnect("pgx", *dsn)
	defer db.Close()

	// org -> timezone, loaded once; a few hundred orgs at most
	var orgs []struct {
		ID int64  `db:"id"`
		TZ string `db:"timezone"`
	}
	if err := db.SelectContext(ctx, &orgs, `SELECT id, timezone FROM organizations WHERE active`); err != nil {
		log.Fatalf("load orgs: %v", err)
	}
	orgTZ := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		orgTZ[o.ID] = o.TZ
	}

	until := time.Now().AddDate(0, 0, *days)
	var lastID int64
	for {
		var page []Shift
		err := db.SelectContext(ctx, &page,
			`SELECT id, org_id, title, starts_at, ends_at FROM shifts
			  WHERE id > $1 AND starts_at BETWEEN now() AND $2 AND status = 'published'
			  ORDER BY id LIMIT $3`, lastID, until, pageSize)
		if err != nil {
			log.Fatalf("select shifts after %d: %v", lastID, err)
		}
		if len(page) == 0 {
			break // done
		}
		for i := range page {
			page[i].TZ = orgTZ[page[i].OrgID]
		}
		if err := pushBatch(ctx, page); err != nil {
			log.Fatalf("push batch after %d: %v", lastID, err)
		}
		lastID = page[len(page)-1].ID
	}
	log.Printf("synced shifts up to id %d", lastID)
}

// pushBatch upserts one page of shifts; retries 5xx/network errors with
// capped exponential backoff and full jitter.
func pushBatch(ctx context.Context, shifts []Shift) error {
	body, err := json.Marshal(map[string]any{"events": shifts})
	if err != nil {
		return err
	}
	const maxAttempts = 6
	backoff := 500 * time.Millisecond
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, os.Getenv("CAL_URL")+"/v1/events:bulkUpsert", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+os.Getenv("CAL_TOKEN"))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
				return fmt.Errorf("calendar rejected batch: %d", resp.StatusCode)
			}
			err = fmt.Errorf("calendar status %d", resp.StatusCode)
		}
		if attempt == maxAttempts {
			return fmt.Errorf("giving up after %d attempts: %w", attempt, err)
		}
		sleep := time.Duration(rand.Int64N(int64(backoff))) // full jitter
		log.Printf("attempt %d failed (%v); retrying in %s", attempt, err, sleep)
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(backoff*2, 30*time.Second)
	}
	return nil
}
