// Package permitsync mirrors issued glacier-walk permits from the national park
// service API into our bookings DB. Runs as a k8s CronJob every 15 minutes.
package permitsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// One client for the whole job; the timeout covers connect, TLS, headers and body.
var parkClient = &http.Client{
	Timeout: 15 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second},
}

type Permit struct {
	Number    string    `json:"permit_no"`
	RouteCode string    `json:"route"`
	TourDate  string    `json:"tour_date"`
	Party     int       `json:"party_size"`
	IssuedAt  time.Time `json:"issued_at"`
}

type page struct {
	Permits []Permit `json:"permits"`
	Next    string   `json:"next_cursor"`
}

const (
	maxAttempts = 6
	baseDelay   = 500 * time.Millisecond
	maxDelay    = 20 * time.Second
)

// getPage fetches one page, retrying 429/5xx with capped exponential backoff and full jitter.
func getPage(ctx context.Context, base, cursor string) (page, error) {
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			backoff := min(maxDelay, baseDelay<<attempt)
			select {
			case <-time.After(rand.N(backoff)):
			case <-ctx.Done():
				return page{}, ctx.Err()
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet,
			base+"/v1/permits?cursor="+url.QueryEscape(cursor)+"&limit=500", nil)
		if err != nil {
			return page{}, err
		}
		resp, err := parkClient.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			resp.Body.Close()
			lastErr = errors.New("park api status " + strconv.Itoa(resp.StatusCode))
			continue
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return page{}, fmt.Errorf("park api: unexpected status %d", resp.StatusCode)
		}
		var p page
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		return p, err
	}
	return page{}, fmt.Errorf("park api: gave up after %d attempts: %w", maxAttempts, lastErr)
}

// Sync walks every page since the stored cursor and upserts each page in one statement.
func Sync(ctx context.Context, pool *pgxpool.Pool, base string, log *slog.Logger) error {
	var cursor string
	if err := pool.QueryRow(ctx, `SELECT cursor FROM permit_sync_state WHERE id = 1`).Scan(&cursor); err != nil {
		return fmt.Errorf("load cursor: %w", err)
	}
	for {
		p, err := getPage(ctx, base, cursor)
		if err != nil {
			log.Error("permit sync failed", "cursor", cursor, "err", err)
			return err
		}
		if len(p.Permits) == 0 {
			return nil
		}
		nums, routes, dates, parties := make([]string, 0, len(p.Permits)), []string{}, []string{}, []int{}
		for _, pm := range p.Permits {
			nums, routes, dates, parties = append(nums, pm.Number), append(routes, pm.RouteCode), append(dates, pm.TourDate), append(parties, pm.Party)
		}
		if _, err := pool.Exec(ctx, `
			INSERT INTO park_permits (permit_no, route_code, tour_date, party_size)
			SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::int[])
			ON CONFLICT (permit_no) DO UPDATE SET party_size = EXCLUDED.party_size`,
			nums, routes, dates, parties); err != nil {
			return fmt.Errorf("upsert page: %w", err)
		}
		if _, err := pool.Exec(ctx, `UPDATE permit_sync_state SET cursor = $1, synced_at = now() WHERE id = 1`, p.Next); err != nil {
			return fmt.Errorf("save cursor: %w", err)
		}
		log.Info("synced permit page", "count", len(p.Permits))
		if p.Next == "" {
			return nil
		}
		cursor = p.Next
	}
}
