// renewal-notices: nightly batch that emails residential parking permit holders whose
// permit expires in the next N days. Runs once a night from cron on the batch host
// (single process, exits when done):
//
//	15 2 * * * /opt/permits/bin/renewal-notices -days 30
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
)

type permit struct {
	ID                 int64
	Zone, Plate, Email string
	Expires            time.Time
}

var notifyClient = &http.Client{Timeout: 10 * time.Second}

func main() {
	days := flag.Int("days", 30, "notify permits expiring within N days")
	flag.Parse()
	ctx := context.Background()
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// Zone fees are a dozen rows and don't change during a run: load once.
	zoneFee := map[string]int{}
	zr, err := db.QueryContext(ctx, `SELECT code, annual_fee_cents FROM permit_zones`)
	if err != nil {
		log.Fatal(err)
	}
	for zr.Next() {
		var code string
		var fee int
		if err := zr.Scan(&code, &fee); err != nil {
			log.Fatal(err)
		}
		zoneFee[code] = fee
	}
	zr.Close()

	sentPerZone := map[string]int{} // just for the summary line at the end
	var afterID int64
	for {
		page, err := fetchPage(ctx, db, afterID, *days)
		if err != nil {
			log.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			if err := notify(ctx, p, zoneFee[p.Zone]); err != nil {
				log.Printf("permit %d: giving up: %v", p.ID, err)
				continue
			}
			sentPerZone[p.Zone]++
		}
		afterID = page[len(page)-1].ID
	}
	log.Printf("renewal notices sent: %v", sentPerZone)
}

// fetchPage returns the next 500 expiring permits (keyset pagination), holder email joined in.
func fetchPage(ctx context.Context, db *sql.DB, afterID int64, days int) ([]permit, error) {
	rows, err := db.QueryContext(ctx, `SELECT p.id, p.zone_code, p.plate, h.email, p.expires_on
		FROM permits p JOIN permit_holders h ON h.id = p.holder_id
		WHERE p.status = 'active' AND p.expires_on < current_date + $2::int AND p.id > $1
		ORDER BY p.id LIMIT 500`, afterID, days)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []permit
	for rows.Next() {
		var p permit
		if err := rows.Scan(&p.ID, &p.Zone, &p.Plate, &p.Email, &p.Expires); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// notify posts to the city's notification service, retrying with capped exponential backoff.
func notify(ctx context.Context, p permit, feeCents int) error {
	body, _ := json.Marshal(map[string]any{"to": p.Email, "template": "permit-renewal", "zone": p.Zone,
		"plate": p.Plate, "expires": p.Expires.Format("2006-01-02"), "fee": fmt.Sprintf("$%.2f", float64(feeCents)/100)})
	backoff := 500 * time.Millisecond
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, os.Getenv("NOTIFY_URL"), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := notifyClient.Do(req)
		if err == nil {
			resp.Body.Close()
			switch {
			case resp.StatusCode < 300:
				return nil
			case resp.StatusCode < 500:
				return fmt.Errorf("rejected: status %d", resp.StatusCode) // permanent, don't retry
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(backoff/2 + time.Duration(rand.Int63n(int64(backoff)))) // jittered
		backoff = min(backoff*2, 8*time.Second)
	}
	return lastErr
}
