package milltours

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"time"
)

// Client talks to the heritage trust's ticketing API, which owns guided tour
// capacity at the watermill. One Client is built at startup and shared.

type Client struct {
	baseURL string
	apiKey  string
	http    *http.Client
}

func NewClient(baseURL, apiKey string) *Client {
	return &Client{
		baseURL: baseURL,
		apiKey:  apiKey,
		http: &http.Client{
			Timeout: 8 * time.Second,
			Transport: &http.Transport{
				MaxIdleConnsPerHost: 8,
				IdleConnTimeout:     90 * time.Second,
			},
		},
	}
}

type TourAvailability struct {
	TourID    string    `json:"tour_id"`
	StartsAt  time.Time `json:"starts_at"`
	PlacesMax int       `json:"places_max"`
	PlacesBkd int       `json:"places_booked"`
}

const (
	maxAttempts = 5
	baseDelay   = 200 * time.Millisecond
	maxDelay    = 5 * time.Second
)

var errRetryable = errors.New("retryable status")

// Availability fetches the tours for a day, retrying transient failures with
// capped exponential backoff and full jitter.
func (c *Client) Availability(ctx context.Context, day time.Time) ([]TourAvailability, error) {
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			backoff := baseDelay << attempt
			if backoff > maxDelay {
				backoff = maxDelay
			}
			sleep := time.Duration(rand.Int63n(int64(backoff)))
			select {
			case <-time.After(sleep):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		tours, err := c.fetch(ctx, day)
		if err == nil {
			return tours, nil
		}
		lastErr = err
		if !errors.Is(err, errRetryable) {
			break
		}
	}
	return nil, fmt.Errorf("mill tours availability for %s: %w", day.Format("2006-01-02"), lastErr)
}

func (c *Client) fetch(ctx context.Context, day time.Time) ([]TourAvailability, error) {
	url := fmt.Sprintf("%s/v1/sites/mill/tours?date=%s", c.baseURL, day.Format("2006-01-02"))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Api-Key", c.apiKey)

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errRetryable, err)
	}
	defer resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, fmt.Errorf("%w: %s", errRetryable, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("ticketing api: %s", resp.Status)
	}

	var out struct {
		Tours []TourAvailability `json:"tours"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("decode tours: %w", err)
	}
	return out.Tours, nil
}
