// rotagen: builds the next quarter's ringing rota for every tower in the guild
// and emails each tower captain their sheet.
//
//	go run ./cmd/rotagen -from 2025-01-05 -weeks 13
//
// Run by hand by the guild secretary (or monthly from cron on the guild box).
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

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/lib/pq"
)

type Ringer struct {
	ID          int64
	Name, Tower string
}

var mailClient = &http.Client{Timeout: 15 * time.Second}

func main() {
	from := flag.String("from", time.Now().Format("2006-01-02"), "first Sunday")
	weeks := flag.Int("weeks", 13, "number of weeks")
	flag.Parse()

	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("GUILD_DB"))
	if err != nil {
		log.Fatal(err)
	}

	// whole guild is ~400 ringers; fine to hold in memory for one run
	ringers := map[int64]Ringer{}
	rows, err := db.QueryContext(ctx, `SELECT id, name, tower FROM ringers WHERE active`)
	if err != nil {
		log.Fatal(err)
	}
	for rows.Next() {
		var r Ringer
		if err := rows.Scan(&r.ID, &r.Name, &r.Tower); err != nil {
			log.Fatal(err)
		}
		ringers[r.ID] = r
	}
	rows.Close()

	// services are paged a week at a time; unavailability for the whole page is one query
	start, _ := time.Parse("2006-01-02", *from)
	sheets := map[string]*bytes.Buffer{}
	for w := 0; w < *weeks; w++ {
		day := start.AddDate(0, 0, 7*w)
		svcIDs, towers := servicesForWeek(ctx, db, day)
		away := map[[2]int64]bool{}
		ar, err := db.QueryContext(ctx,
			`SELECT service_id, ringer_id FROM unavailability WHERE service_id = ANY($1)`, pq.Array(svcIDs))
		if err != nil {
			log.Fatalf("unavailability week %s: %v", day.Format("2 Jan"), err)
		}
		for ar.Next() {
			var s, r int64
			if ar.Scan(&s, &r) == nil {
				away[[2]int64{s, r}] = true
			}
		}
		ar.Close()

		for i, sid := range svcIDs {
			if sheets[towers[i]] == nil {
				sheets[towers[i]] = &bytes.Buffer{}
			}
			buf := sheets[towers[i]]
			fmt.Fprintf(buf, "%s\n", day.Format("Mon 2 Jan"))
			for _, r := range ringers {
				if r.Tower == towers[i] && !away[[2]int64{sid, r.ID}] {
					fmt.Fprintf(buf, "  %s\n", r.Name)
				}
			}
		}
	}

	for tower, buf := range sheets {
		if err := sendWithRetry(tower, buf.String()); err != nil {
			log.Printf("tower %s: giving up: %v", tower, err)
		}
	}
}

func servicesForWeek(ctx context.Context, db *sql.DB, day time.Time) ([]int64, []string) {
	rows, err := db.QueryContext(ctx, `SELECT id, tower FROM services
		WHERE service_date >= $1 AND service_date < $1 + 7 ORDER BY tower, starts_at`, day)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	var towers []string
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			log.Fatal(err)
		}
		ids, towers = append(ids, id), append(towers, t)
	}
	return ids, towers
}

// sendWithRetry: exponential backoff with full jitter, max 5 attempts.
func sendWithRetry(tower, body string) error {
	payload, _ := json.Marshal(map[string]string{"tower": tower, "text": body})
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var resp *http.Response
		resp, err = mailClient.Post("https://mail.guild.example/api/send", "application/json", bytes.NewReader(payload))
		if err == nil && resp.StatusCode < 500 {
			resp.Body.Close()
			return nil
		}
		if resp != nil {
			resp.Body.Close()
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		backoff := time.Duration(1<<attempt) * time.Second
		time.Sleep(time.Duration(rand.Int63n(int64(backoff))))
	}
	return err
}
