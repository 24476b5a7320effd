// Package routing wraps the journey-planner API used by the rural
// demand-responsive bus service to quote pickup windows.
package routing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

type Quote struct {
	Zone         string    `json:"zone"`
	PickupEarly  time.Time `json:"pickup_early"`
	PickupLate   time.Time `json:"pickup_late"`
	DriveMinutes int       `json:"drive_minutes"`
	VehicleSeats int       `json:"vehicle_seats"`
}

type Client struct {
	base   string
	http   *http.Client
	quotes *expirable.LRU[string, Quote]
	group  singleflight.Group
}

func New(base string) *Client {
	return &Client{
		base: base,
		http: &http.Client{
			Timeout: 6 * time.Second,
			Transport: &http.Transport{
				MaxIdleConnsPerHost: 16,
				IdleConnTimeout:     90 * time.Second,
			},
		},
		// Quotes for the same zone pair and 15-minute slot are identical for
		// every passenger; keep at most 5,000 of them for 2 minutes.
		quotes: expirable.NewLRU[string, Quote](5000, nil, 2*time.Minute),
	}
}

// QuoteFor returns the pickup window for a zone pair in a 15-minute slot.
func (c *Client) QuoteFor(ctx context.Context, fromZone, toZone string, slot time.Time) (Quote, error) {
	key := fmt.Sprintf("%s>%s@%d", fromZone, toZone, slot.Truncate(15*time.Minute).Unix())
	if q, ok := c.quotes.Get(key); ok {
		return q, nil
	}
	// Concurrent misses for the same key share one upstream call.
	v, err, _ := c.group.Do(key, func() (any, error) {
		q, err := c.fetchWithRetry(ctx, fromZone, toZone, slot)
		if err != nil {
			return Quote{}, err
		}
		c.quotes.Add(key, q)
		return q, nil
	})
	if err != nil {
		return Quote{}, err
	}
	return v.(Quote), nil
}

const (
	maxAttempts = 5
	baseDelay   = 200 * time.Millisecond
	maxDelay    = 5 * time.Second
)

func (c *Client) fetchWithRetry(ctx context.Context, fromZone, toZone string, slot time.Time) (Quote, error) {
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		q, retryable, err := c.fetchOnce(ctx, fromZone, toZone, slot)
		if err == nil {
			return q, nil
		}
		if !retryable {
			return Quote{}, err
		}
		lastErr = err

		// Exponential backoff with full jitter, capped.
		backoff := baseDelay << attempt
		if backoff > maxDelay {
			backoff = maxDelay
		}
		sleep := time.Duration(rand.Int63n(int64(backoff)))
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return Quote{}, errors.Join(ctx.Err(), lastErr)
		}
	}
	return Quote{}, fmt.Errorf("journey planner: %d attempts: %w", maxAttempts, lastErr)
}

func (c *Client) fetchOnce(ctx context.Context, fromZone, toZone string, slot time.Time) (Quote, bool, error) {
	q := url.Values{"from": {fromZone}, "to": {toZone}, "at": {slot.Format(time.RFC3339)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v2/quote?"+q.Encode(), nil)
	if err != nil {
		return Quote{}, false, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Quote{}, true, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return Quote{}, true, fmt.Errorf("journey planner status %d", resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK {
		return Quote{}, false, fmt.Errorf("journey planner status %d", resp.StatusCode)
	}
	var out Quote
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return Quote{}, false, fmt.Errorf("decode quote: %w", err)
	}
	return out, false, nil
}
