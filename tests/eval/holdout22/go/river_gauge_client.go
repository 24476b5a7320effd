// Package gauges pulls river level readings from the Environment Agency style
// flood-monitoring API for the stations our alert subscribers follow.
package gauges

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand"
	"net"
	"net/http"
	"time"
)

type Reading struct {
	StationID string    `json:"stationReference"`
	Value     float64   `json:"value"`
	DateTime  time.Time `json:"dateTime"`
}

type Client struct {
	baseURL string
	http    *http.Client
	log     *slog.Logger
}

// NewClient builds one shared client for the poller; it is created once in main
// and reused for every station so connections are kept alive.
func NewClient(baseURL string, logger *slog.Logger) *Client {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     90 * time.Second,
	}
	return &Client{
		baseURL: baseURL,
		http:    &http.Client{Timeout: 10 * time.Second, Transport: transport},
		log:     logger,
	}
}

const (
	maxAttempts = 5
	baseDelay   = 500 * time.Millisecond
	maxDelay    = 20 * time.Second
)

// backoff returns full-jitter exponential delay, capped at maxDelay.
func backoff(attempt int) time.Duration {
	d := baseDelay << attempt
	if d > maxDelay || d <= 0 {
		d = maxDelay
	}
	return time.Duration(rand.Int63n(int64(d)))
}

// LatestReading fetches the most recent level for one station, retrying 5xx and
// network errors a bounded number of times.
func (c *Client) LatestReading(ctx context.Context, stationID string) (*Reading, error) {
	url := fmt.Sprintf("%s/id/stations/%s/readings?latest", c.baseURL, stationID)
	var lastErr error

	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			wait := backoff(attempt)
			c.log.Warn("retrying gauge fetch", "station", stationID, "attempt", attempt, "wait", wait, "err", lastErr)
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}

		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.http.Do(req)
		if err != nil {
			lastErr = err
			continue
		}

		var body struct {
			Items []Reading `json:"items"`
		}
		decodeErr := json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()

		switch {
		case resp.StatusCode >= 500:
			lastErr = fmt.Errorf("gauge api %s: status %d", stationID, resp.StatusCode)
			continue
		case resp.StatusCode != http.StatusOK:
			return nil, fmt.Errorf("gauge api %s: status %d", stationID, resp.StatusCode)
		case decodeErr != nil:
			return nil, fmt.Errorf("decode gauge %s: %w", stationID, decodeErr)
		case len(body.Items) == 0:
			return nil, fmt.Errorf("gauge %s: no readings", stationID)
		}
		return &body.Items[0], nil
	}
	return nil, fmt.Errorf("gauge %s: giving up after %d attempts: %w", stationID, maxAttempts, lastErr)
}
