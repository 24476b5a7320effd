package greenkeeper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"time"
)

// Conditions comes from the soil-moisture probe service the club rents. The
// bookings page uses it to decide whether the green is open for the afternoon.
type Conditions struct {
	MoisturePct float64   `json:"moisture_pct"`
	RainMM24h   float64   `json:"rain_mm_24h"`
	FrostRisk   bool      `json:"frost_risk"`
	ReadAt      time.Time `json:"read_at"`
}

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
			Timeout: 6 * time.Second,
			Transport: &http.Transport{
				MaxIdleConnsPerHost: 2,
				IdleConnTimeout:     90 * time.Second,
			},
		},
	}
}

const (
	maxAttempts = 4
	baseDelay   = 250 * time.Millisecond
	maxDelay    = 4 * time.Second
)

var errRetryable = errors.New("retryable")

// Latest fetches the current reading, retrying transient failures with
// capped exponential backoff and full jitter.
func (c *Client) Latest(ctx context.Context, greenID string) (*Conditions, error) {
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
				return nil, fmt.Errorf("green %s: %w (last error: %v)", greenID, ctx.Err(), lastErr)
			}
		}

		cond, err := c.fetch(ctx, greenID)
		if err == nil {
			return cond, nil
		}
		if !errors.Is(err, errRetryable) {
			return nil, err
		}
		lastErr = err
	}
	return nil, fmt.Errorf("green %s: no reading after %d attempts: %w", greenID, maxAttempts, lastErr)
}

func (c *Client) fetch(ctx context.Context, greenID string) (*Conditions, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/v1/sites/"+greenID+"/latest", nil)
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
		return nil, fmt.Errorf("%w: probe service returned %s", errRetryable, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("probe service returned %s", resp.Status)
	}

	var cond Conditions
	if err := json.NewDecoder(resp.Body).Decode(&cond); err != nil {
		return nil, fmt.Errorf("decode reading: %w", err)
	}
	return &cond, nil
}
