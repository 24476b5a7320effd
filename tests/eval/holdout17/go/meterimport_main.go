// Command meterimport loads the nightly AMR dump of municipal water-meter
// readings into Postgres and flags meters whose consumption jumped (leaks).
//
// Usage: meterimport -dsn postgres://... -file readings-2024-06-11.csv
//
// Runs once a night from cron on the utility's batch box; a single process.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const pageSize = 2000

type reading struct {
	MeterID string
	At      time.Time
	M3      float64
}

func main() {
	dsn := flag.String("dsn", os.Getenv("DATABASE_URL"), "postgres dsn")
	file := flag.String("file", "", "csv dump")
	workers := flag.Int("workers", 4, "parallel page writers")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Minute)
	defer cancel()

	pool, err := pgxpool.New(ctx, *dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	// district per meter, loaded once; ~60k meters, read-only for the run.
	districtOf := map[string]int{}
	rows, err := pool.Query(ctx, `SELECT meter_id, district_id FROM meters WHERE decommissioned_at IS NULL`)
	if err != nil {
		log.Fatal(err)
	}
	for rows.Next() {
		var id string
		var d int
		if err := rows.Scan(&id, &d); err != nil {
			log.Fatal(err)
		}
		districtOf[id] = d
	}
	rows.Close()

	f, err := os.Open(*file)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()

	pages := make(chan []reading)
	var wg sync.WaitGroup
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for page := range pages {
				if err := withRetry(ctx, func() error { return writePage(ctx, pool, page) }); err != nil {
					log.Printf("page starting %s failed permanently: %v", page[0].MeterID, err)
				}
			}
		}()
	}

	r := csv.NewReader(f)
	page := make([]reading, 0, pageSize)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			log.Fatal(err)
		}
		if _, known := districtOf[rec[0]]; !known {
			continue // meter not in the register (yet)
		}
		at, _ := time.Parse(time.RFC3339, rec[1])
		m3, _ := strconv.ParseFloat(rec[2], 64)
		page = append(page, reading{rec[0], at, m3})
		if len(page) == pageSize {
			pages <- page
			page = make([]reading, 0, pageSize)
		}
	}
	if len(page) > 0 {
		pages <- page
	}
	close(pages)
	wg.Wait()
}

// writePage copies one page of readings and then marks leaks for the meters
// in that page with a single set-based statement.
func writePage(ctx context.Context, pool *pgxpool.Pool, page []reading) error {
	ids := make([]string, len(page))
	for i, rd := range page {
		ids[i] = rd.MeterID
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"meter_readings"}, []string{"meter_id", "read_at", "m3"},
		pgx.CopyFromSlice(len(page), func(i int) ([]any, error) {
			return []any{page[i].MeterID, page[i].At, page[i].M3}, nil
		}))
	if err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `
		UPDATE meters m SET leak_suspected = true
		  FROM meter_daily_usage u
		 WHERE u.meter_id = m.meter_id
		   AND m.meter_id = ANY($1)
		   AND u.day = current_date - 1
		   AND u.m3 > 3 * u.avg_30d_m3`, ids)
	return err
}

// withRetry: up to 5 attempts, exponential backoff (500ms, 1s, 2s, 4s) with full jitter.
func withRetry(ctx context.Context, fn func() error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = fn(); err == nil {
			return nil
		}
		backoff := time.Duration(500*(1<<attempt)) * time.Millisecond
		select {
		case <-time.After(time.Duration(rand.Int64N(int64(backoff)))):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}
