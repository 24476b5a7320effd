// Here's a revised version of your rights-registry client. What changed:
//
//  1. One shared *http.Client with a Timeout, built once in NewClient
//     (before, every call used http.Get with no timeout at all).
//  2. Retries use capped exponential backoff with full jitter and give up
//     after 5 attempts; 4xx responses are not retried.
//  3. Errors are logged with the photo id and returned to the caller instead
//     of being turned into "license OK".
package licensing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

const (
	maxAttempts = 5
	baseDelay   = 200 * time.Millisecond
	maxDelay    = 5 * time.Second
)

type RightsStatus struct {
	PhotoID     string    `json:"photo_id"`
	Holder      string    `json:"holder"`
	Exclusive   bool      `json:"exclusive"`
	ValidUntil  time.Time `json:"valid_until"`
	Territories []string  `json:"territories"`
}

type Client struct {
	base *url.URL
	http *http.Client
	log  *slog.Logger
}

func NewClient(baseURL string, logger *slog.Logger) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("rights registry url: %w", err)
	}
	return &Client{
		base: u,
		http: &http.Client{Timeout: 4 * time.Second},
		log:  logger,
	}, nil
}

var errPermanent = errors.New("permanent registry error")

// Status asks the rights registry whether a photo can be licensed.
func (c *Client) Status(ctx context.Context, photoID string) (*RightsStatus, error) {
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			backoff := min(maxDelay, baseDelay<<attempt)
			sleep := rand.N(backoff) // full jitter
			select {
			case <-time.After(sleep):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		st, err := c.fetch(ctx, photoID)
		if err == nil {
			return st, nil
		}
		if errors.Is(err, errPermanent) {
			c.log.Error("rights lookup rejected", "photo_id", photoID, "err", err)
			return nil, err
		}
		lastErr = err
	}
	c.log.Error("rights lookup failed", "photo_id", photoID, "attempts", maxAttempts, "err", lastErr)
	return nil, fmt.Errorf("rights registry unavailable for %s: %w", photoID, lastErr)
}

func (c *Client) fetch(ctx context.Context, photoID string) (*RightsStatus, error) {
	u := c.base.JoinPath("v2", "photos", photoID, "rights")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return nil, fmt.Errorf("registry %s", resp.Status)
	case resp.StatusCode >= 400:
		return nil, fmt.Errorf("%w: %s", errPermanent, resp.Status)
	}
	var st RightsStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, fmt.Errorf("decode rights for %s: %w", photoID, err)
	}
	return &st, nil
}
