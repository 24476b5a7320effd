package walks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"time"
)

// TideClient fetches tide predictions for the fossil-hunting guided walks.
// Walks on the undercliff can only run on a falling tide, so the scheduler
// checks the forecast before confirming a walk.

type TideEvent struct {
	Time    time.Time `json:"time"`
	HeightM float64   `json:"height_m"`
	Kind    string    `json:"kind"` // "high" or "low"
}

type TideClient struct {
	baseURL string
	apiKey  string
	http    *http.Client
}

// NewTideClient builds one shared client for the process; its transport keeps
// a small pool of keep-alive connections to the tide API.
func NewTideClient(baseURL, apiKey string) *TideClient {
	transport := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		TLSHandshakeTimeout:   3 * time.Second,
		ResponseHeaderTimeout: 5 * time.Second,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}
	return &TideClient{
		baseURL: baseURL,
		apiKey:  apiKey,
		http:    &http.Client{Transport: transport, Timeout: 8 * time.Second},
	}
}

var errRetryable = errors.New("retryable tide API response")

const (
	maxAttempts = 4
	baseDelay   = 250 * time.Millisecond
	maxDelay    = 4 * time.Second
)

// Tides returns the high and low waters for a station on the given day.
func (c *TideClient) Tides(ctx context.Context, stationID string, day time.Time) ([]TideEvent, error) {
	q := url.Values{"station": {stationID}, "date": {day.Format("2006-01-02")}}
	endpoint := c.baseURL + "/v1/predictions?" + q.Encode()

	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			// Exponential backoff with full jitter, capped at maxDelay.
			backoff := min(baseDelay<<attempt, maxDelay)
			sleep := time.Duration(rand.Int64N(int64(backoff)))
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(sleep):
			}
		}
		events, err := c.fetch(ctx, endpoint)
		if err == nil {
			return events, nil
		}
		lastErr = err
		if !errors.Is(err, errRetryable) {
			break
		}
	}
	return nil, fmt.Errorf("tides for station %s: %w", stationID, lastErr)
}

func (c *TideClient) fetch(ctx context.Context, endpoint string) ([]TideEvent, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Ocp-Apim-Subscription-Key", c.apiKey)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errRetryable, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, fmt.Errorf("%w: status %d", errRetryable, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("tide API status %d", resp.StatusCode)
	}
	var events []TideEvent
	if err := json.NewDecoder(resp.Body).Decode(&events); err != nil {
		return nil, fmt.Errorf("decode tides: %w", err)
	}
	return events, nil
}
