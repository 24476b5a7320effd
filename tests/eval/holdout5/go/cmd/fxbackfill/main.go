// fxbackfill fills in the EUR amount for historical wallet transactions that
// were recorded before we started storing converted amounts.
//
// One-off ops tool, run by hand from a bastion:
//
//	go run ./cmd/fxbackfill -from 2023-01-01 -to 2023-12-31
package main

import (
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

var httpClient = &http.Client{Timeout: 10 * time.Second}

// rates caches EUR conversion rates for the duration of this run.
// Keyed by "USD|2023-04-17"; at most (#currencies x #days in range) entries.
var rates = map[string]float64{}

func fetchRate(ctx context.Context, currency, day string) (float64, error) {
	key := currency + "|" + day
	if r, ok := rates[key]; ok {
		return r, nil
	}

	url := fmt.Sprintf("https://fx.internal.example/v1/rates/%s?base=%s&quote=EUR", day, currency)
	backoff := 500 * time.Millisecond
	const maxAttempts = 6
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := httpClient.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			var body struct{ Rate float64 `json:"rate"` }
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if err == nil {
				rates[key] = body.Rate
				return body.Rate, nil
			}
		} else if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("fx service returned %d", resp.StatusCode)
		}
		if attempt == maxAttempts {
			return 0, fmt.Errorf("fetch rate %s: %w", key, err)
		}
		sleep := backoff + time.Duration(rand.Int63n(int64(backoff)))
		log.Printf("rate %s attempt %d failed (%v), retrying in %s", key, attempt, err, sleep)
		time.Sleep(sleep)
		if backoff < 8*time.Second {
			backoff *= 2
		}
	}
}

func main() {
	from := flag.String("from", "", "start date YYYY-MM-DD")
	to := flag.String("to", "", "end date YYYY-MM-DD")
	flag.Parse()

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	rows, err := db.QueryContext(ctx, `
		SELECT currency, created_at::date::text, array_agg(id)
		FROM wallet_transactions
		WHERE amount_eur IS NULL AND currency <> 'EUR' AND created_at::date BETWEEN $1 AND $2
		GROUP BY 1, 2 ORDER BY 2`, *from, *to)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()

	total := 0
	for rows.Next() {
		var currency, day string
		var ids pq.Int64Array
		if err := rows.Scan(&currency, &day, &ids); err != nil {
			log.Fatal(err)
		}
		rate, err := fetchRate(ctx, currency, day)
		if err != nil {
			log.Fatal(err)
		}
		res, err := db.ExecContext(ctx,
			`UPDATE wallet_transactions SET amount_eur = round(amount * $1, 2) WHERE id = ANY($2)`, rate, ids)
		if err != nil {
			log.Fatal(err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		log.Printf("%s %s: %d rows @ %.6f", currency, day, n, rate)
	}
	log.Printf("done, %d transactions updated", total)
}
