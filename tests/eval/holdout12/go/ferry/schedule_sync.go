// Here's a corrected version of the timetable sync. The two problems in the original were:
//   - http.Get uses http.DefaultClient, which has no timeout, so a single stuck connection
//     to the operator's API could hang the whole CronJob until Kubernetes killed it;
//   - the retry loop retried immediately and forever, hammering the API during outages.
// Below, one shared client has a Timeout (it covers dial, TLS, headers and body), the whole
// run is bounded by a context deadline, and retries use capped exponential backoff with jitter.
package ferrysync

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/lib/pq"
)

var operatorClient = &http.Client{
	Timeout: 15 * time.Second,
	Transport: &http.Transport{
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
	},
}

const maxAttempts = 5

func getWithRetry(ctx context.Context, endpoint string) ([]byte, error) {
	backoff := 500 * time.Millisecond
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		body, retryable, err := getOnce(ctx, endpoint)
		if err == nil {
			return body, nil
		}
		if !retryable || attempt == maxAttempts {
			return nil, fmt.Errorf("GET %s (attempt %d): %w", endpoint, attempt, err)
		}
		sleep := backoff/2 + rand.N(backoff) // jitter in [backoff/2, 1.5*backoff)
		log.Printf("operator api: %v; retrying in %s", err, sleep)
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		backoff = min(backoff*2, 10*time.Second)
	}
	return nil, fmt.Errorf("GET %s: gave up", endpoint)
}

func getOnce(ctx context.Context, endpoint string) (body []byte, retryable bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, false, err
	}
	resp, err := operatorClient.Do(req)
	if err != nil {
		return nil, true, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, true, fmt.Errorf("status %d", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, false, fmt.Errorf("status %d", resp.StatusCode)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return body, err != nil, err
}

type sailingPage struct {
	Items []struct {
		Ref       string    `json:"ref"`
		Route     string    `json:"route"`
		DepartsAt time.Time `json:"departs_at"`
		Vessel    string    `json:"vessel"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// SyncSailings pages through the operator feed (500 per page); one upsert per page.
func SyncSailings(ctx context.Context, db *sql.DB, baseURL string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cursor := ""
	for page := 1; ; page++ {
		body, err := getWithRetry(ctx, baseURL+"/v2/sailings?limit=500&cursor="+url.QueryEscape(cursor))
		if err != nil {
			return err
		}
		var p sailingPage
		if err := json.Unmarshal(body, &p); err != nil {
			return fmt.Errorf("decode page %d: %w", page, err)
		}
		refs, routes, departs, vessels := []string{}, []string{}, []string{}, []string{}
		for _, it := range p.Items {
			refs, routes = append(refs, it.Ref), append(routes, it.Route)
			departs, vessels = append(departs, it.DepartsAt.Format(time.RFC3339)), append(vessels, it.Vessel)
		}
		_, err = db.ExecContext(ctx, `
			INSERT INTO sailings (operator_ref, route_code, departs_at, vessel)
			SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
			ON CONFLICT (operator_ref) DO UPDATE
			   SET route_code = EXCLUDED.route_code, departs_at = EXCLUDED.departs_at, vessel = EXCLUDED.vessel`,
			pq.Array(refs), pq.Array(routes), pq.Array(departs), pq.Array(vessels))
		if err != nil {
			log.Printf("upsert page %d (%d sailings): %v", page, len(p.Items), err)
			return fmt.Errorf("upsert page %d: %w", page, err)
		}
		if p.NextCursor == "" {
			return nil
		}
		cursor = p.NextCursor
	}
}
