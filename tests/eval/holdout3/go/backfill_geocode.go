// Command backfill-geocode fills lat/lng for stores that don't have them yet.
// One-off job, run by hand; exits when there is nothing left to do.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/lib/pq"
	"golang.org/x/sync/errgroup"
)

type store struct {
	ID      int64  `json:"id"`
	Address string `json:"address"`
}
type point struct{ Lat, Lng float64 }

var httpClient = &http.Client{Timeout: 20 * time.Second}
const batchSize, workers = 100, 4 // addresses per geocode call, concurrent calls

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	var mu sync.Mutex
	results := map[int64]point{} // lives for this run only
	var lastID int64

	for {
		rows, err := db.QueryContext(ctx,
			`SELECT id, address FROM stores WHERE lat IS NULL AND id > $1 ORDER BY id LIMIT 1000`, lastID)
		if err != nil {
			log.Fatalf("load stores: %v", err)
		}
		var page []store
		for rows.Next() {
			var s store
			if err := rows.Scan(&s.ID, &s.Address); err != nil {
				log.Fatal(err)
			}
			page = append(page, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			log.Fatalf("scan stores: %v", err)
		}
		if len(page) == 0 {
			break
		}
		lastID = page[len(page)-1].ID

		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(workers)
		for i := 0; i < len(page); i += batchSize {
			chunk := page[i:min(i+batchSize, len(page))]
			g.Go(func() error {
				pts, err := geocodeBatch(gctx, chunk)
				if err != nil {
					return fmt.Errorf("chunk starting at %d: %w", chunk[0].ID, err)
				}
				mu.Lock()
				for id, p := range pts {
					results[id] = p
				}
				mu.Unlock()
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			log.Fatalf("geocode: %v", err)
		}

		ids, lats, lngs := []int64{}, []float64{}, []float64{}
		for id, p := range results {
			ids, lats, lngs = append(ids, id), append(lats, p.Lat), append(lngs, p.Lng)
		}
		if _, err := db.ExecContext(ctx, `
			UPDATE stores s SET lat = v.lat, lng = v.lng
			FROM unnest($1::bigint[], $2::float8[], $3::float8[]) AS v(id, lat, lng)
			WHERE s.id = v.id`, pq.Array(ids), pq.Array(lats), pq.Array(lngs)); err != nil {
			log.Fatalf("update: %v", err)
		}
		results = map[int64]point{}
	}
}

// geocodeBatch posts a chunk of addresses; retries 429/5xx with capped backoff + jitter.
func geocodeBatch(ctx context.Context, chunk []store) (map[int64]point, error) {
	body, _ := json.Marshal(chunk)
	backoff := 500 * time.Millisecond
	for attempt := 0; attempt < 6; attempt++ {
		reqCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
		req, _ := http.NewRequestWithContext(reqCtx, http.MethodPost, os.Getenv("GEOCODER_URL")+"/batch", bytes.NewReader(body))
		resp, err := httpClient.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			var out map[int64]point
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			cancel()
			return out, err
		}
		cancel()
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
				return nil, fmt.Errorf("geocoder returned %d", resp.StatusCode)
			}
		}
		time.Sleep(backoff/2 + time.Duration(rand.Int63n(int64(backoff))))
		backoff = min(backoff*2, 30*time.Second)
	}
	return nil, errors.New("geocoder: giving up after 6 attempts")
}
