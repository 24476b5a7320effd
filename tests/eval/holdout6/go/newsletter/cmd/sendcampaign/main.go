// sendcampaign pushes one newsletter campaign to every confirmed subscriber.
// Run by hand or from the nightly cron host:
//
//	sendcampaign -campaign 4821 -dsn "$DATABASE_URL"
//
// Single process, runs to completion; progress is tracked in memory and the
// sends table is the source of truth if the run is restarted.
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

	"github.com/lib/pq"
)

const pageSize = 500

var esp = &http.Client{Timeout: 30 * time.Second}

func main() {
	campaignID := flag.Int64("campaign", 0, "campaign id")
	dsn := flag.String("dsn", os.Getenv("DATABASE_URL"), "postgres dsn")
	flag.Parse()

	db, err := sql.Open("postgres", *dsn)
	if err != nil {
		log.Fatalf("open db: %v", err)
	}
	defer db.Close()
	ctx := context.Background()

	seen := map[string]struct{}{} // guards against duplicate addresses within this run
	var lastID int64
	total := 0
	for {
		rows, err := db.QueryContext(ctx, `
			SELECT s.id, s.email FROM subscribers s
			 WHERE s.list_id = (SELECT list_id FROM campaigns WHERE id = $1)
			   AND s.status = 'confirmed' AND s.id > $2
			   AND NOT EXISTS (SELECT 1 FROM sends x WHERE x.campaign_id = $1 AND x.subscriber_id = s.id)
			 ORDER BY s.id LIMIT $3`, *campaignID, lastID, pageSize)
		if err != nil {
			log.Fatalf("load page after %d: %v", lastID, err)
		}
		var ids []int64
		var emails []string
		n := 0
		for rows.Next() {
			n++
			var id int64
			var email string
			if err := rows.Scan(&id, &email); err != nil {
				log.Fatalf("scan: %v", err)
			}
			lastID = id
			if _, dup := seen[email]; dup {
				continue
			}
			seen[email] = struct{}{}
			ids, emails = append(ids, id), append(emails, email)
		}
		rows.Close()
		if n == 0 {
			break
		}
		if len(ids) == 0 {
			continue
		}

		// one batch call to the ESP per page, then one batched insert
		if err := sendBatch(ctx, *campaignID, emails); err != nil {
			log.Fatalf("campaign %d: batch after id %d failed: %v", *campaignID, lastID, err)
		}
		if _, err := db.ExecContext(ctx, `
			INSERT INTO sends (campaign_id, subscriber_id, sent_at)
			SELECT $1, unnest($2::bigint[]), now()
			ON CONFLICT (campaign_id, subscriber_id) DO NOTHING`, *campaignID, pq.Array(ids)); err != nil {
			log.Fatalf("record sends: %v", err)
		}
		total += len(ids)
		log.Printf("sent %d so far (last id %d)", total, lastID)
	}
	log.Printf("campaign %d done: %d recipients", *campaignID, total)
}

func sendBatch(ctx context.Context, campaignID int64, to []string) error {
	body, _ := json.Marshal(map[string]any{"campaign": campaignID, "to": to})
	delay := time.Second
	for attempt := 1; ; attempt++ {
		resp, err := esp.Post(os.Getenv("ESP_URL")+"/v3/mail/batch", "application/json", bytes.NewReader(body))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			if resp.StatusCode < 500 && resp.StatusCode != 429 {
				return fmt.Errorf("esp rejected batch: status %d", resp.StatusCode)
			}
			err = fmt.Errorf("esp status %d", resp.StatusCode)
		}
		if attempt == 5 {
			return err
		}
		log.Printf("attempt %d failed: %v; retrying", attempt, err)
		time.Sleep(delay/2 + time.Duration(rand.Int63n(int64(delay))))
		delay = min(delay*2, 20*time.Second)
	}
}
