// donorsync pulls donor records from the regional food bank network's partner
// API and upserts them into our warehouse DB. Run nightly from cron on the
// ops box (single process):  15 2 * * *  /opt/foodbank/bin/donorsync
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"os"
	"time"

	"github.com/lib/pq"
)

type donor struct {
	ExternalID string `json:"id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
}

type page struct {
	Donors []donor `json:"donors"`
	Next   string  `json:"next_cursor"`
}

var client = &http.Client{Timeout: 20 * time.Second}

func fetchPage(ctx context.Context, base, cursor string) (*page, error) {
	const maxAttempts = 6
	backoff := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v2/donors?limit=500&cursor="+cursor, nil)
		req.Header.Set("Authorization", "Bearer "+os.Getenv("PARTNER_TOKEN"))
		resp, err := client.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			defer resp.Body.Close()
			var p page
			return &p, json.NewDecoder(resp.Body).Decode(&p)
		}
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("partner api: status %d", resp.StatusCode)
		}
		if attempt == maxAttempts {
			return nil, fmt.Errorf("giving up after %d attempts: %w", attempt, err)
		}
		sleep := backoff + time.Duration(rand.Int63n(int64(backoff)))
		log.Printf("page %q attempt %d failed (%v), retrying in %s", cursor, attempt, err, sleep)
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Minute)
	defer cancel()

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	seen := map[string]struct{}{} // dedupe across pages within this run
	cursor, total := "", 0
	for {
		p, err := fetchPage(ctx, os.Getenv("PARTNER_API"), cursor)
		if err != nil {
			log.Fatalf("fetch: %v", err)
		}
		ids, names, emails := []string{}, []string{}, []string{}
		for _, d := range p.Donors {
			if _, dup := seen[d.ExternalID]; dup {
				continue
			}
			seen[d.ExternalID] = struct{}{}
			ids, names, emails = append(ids, d.ExternalID), append(names, d.Name), append(emails, d.Email)
		}
		// one statement per page of 500
		_, err = db.ExecContext(ctx, `
			INSERT INTO donors (external_id, name, email)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
			ON CONFLICT (external_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email`,
			pq.Array(ids), pq.Array(names), pq.Array(emails))
		if err != nil {
			log.Fatalf("upsert page %q: %v", cursor, err)
		}
		total += len(ids)
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		log.Fatal("ran out of time")
	}
	log.Printf("synced %d donors", total)
}
