package devicecloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"time"
)

// one client for the whole process; the timeout covers connect + headers + body
var httpClient = &http.Client{
	Timeout: 10 * time.Second,
	Transport: &http.Transport{
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     90 * time.Second,
	},
}

const maxAttempts = 5

type Command struct {
	Name   string         `json:"name"`   // "set_temperature", "power"
	Params map[string]any `json:"params"`
}

type Client struct {
	baseURL string
	apiKey  string
}

func New(baseURL, apiKey string) *Client { return &Client{baseURL: baseURL, apiKey: apiKey} }

// SendCommand pushes a command to a thermostat/plug through the vendor cloud.
// Retries 5xx and 429 with capped exponential backoff + jitter.
func (c *Client) SendCommand(ctx context.Context, deviceID string, cmd Command) error {
	body, err := json.Marshal(cmd)
	if err != nil {
		return fmt.Errorf("marshal command: %w", err)
	}
	endpoint := c.baseURL + "/v2/devices/" + url.PathEscape(deviceID) + "/commands"

	backoff := 250 * time.Millisecond
	var lastErr error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
		req.Header.Set("Content-Type", "application/json")

		resp, err := httpClient.Do(req)
		if err != nil {
			lastErr = err
		} else {
			resp.Body.Close()
			switch {
			case resp.StatusCode < 300:
				return nil
			case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
				lastErr = fmt.Errorf("device cloud: %s", resp.Status)
			default:
				return fmt.Errorf("device cloud rejected %q for %s: %s", cmd.Name, deviceID, resp.Status)
			}
		}
		if attempt == maxAttempts {
			break
		}
		sleep := backoff/2 + time.Duration(rand.Int63n(int64(backoff)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		backoff = min(backoff*2, 8*time.Second)
	}
	return fmt.Errorf("send %q to %s after %d attempts: %w", cmd.Name, deviceID, maxAttempts, lastErr)
}
