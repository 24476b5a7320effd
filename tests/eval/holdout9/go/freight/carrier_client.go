package freight

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"time"
)

// CarrierClient talks to the load-board API of our partner carriers.
// One instance is created in main() and shared by all handlers and workers.
type CarrierClient struct {
	baseURL string
	token   string
	http    *http.Client
}

func NewCarrierClient(baseURL, token string) *CarrierClient {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 5 * time.Second,
	}
	return &CarrierClient{
		baseURL: baseURL,
		token:   token,
		http:    &http.Client{Transport: transport, Timeout: 15 * time.Second},
	}
}

type TenderRequest struct {
	LoadID     string  `json:"load_id"`
	CarrierMC  string  `json:"carrier_mc"`
	RateUSD    float64 `json:"rate_usd"`
	PickupDate string  `json:"pickup_date"`
}

var errRetryable = errors.New("retryable carrier error")

// TenderLoad offers a load to a carrier. Tenders carry an Idempotency-Key so
// a retried POST never double-books the truck.
func (c *CarrierClient) TenderLoad(ctx context.Context, t TenderRequest) error {
	body, _ := json.Marshal(t)
	const maxAttempts = 5
	backoff := 200 * time.Millisecond

	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err := c.postTender(ctx, body, t.LoadID)
		if err == nil || !errors.Is(err, errRetryable) {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("tender %s: giving up after %d attempts: %w", t.LoadID, attempt, err)
		}
		sleep := backoff + time.Duration(rand.Int63n(int64(backoff)))
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff *= 2
		if backoff > 5*time.Second {
			backoff = 5 * time.Second
		}
	}
	return nil
}

func (c *CarrierClient) postTender(ctx context.Context, body []byte, loadID string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/v2/tenders", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "tender-"+loadID)

	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", errRetryable, err)
	}
	defer resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("%w: status %d", errRetryable, resp.StatusCode)
	case resp.StatusCode >= 400:
		return fmt.Errorf("tender rejected: status %d", resp.StatusCode)
	}
	return nil
}
