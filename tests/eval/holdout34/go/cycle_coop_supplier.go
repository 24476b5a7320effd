package parts

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"time"

	"github.com/lib/pq"
)

// SupplierClient places parts orders (chains, brake blocks, inner tubes) for
// the Spokes Cycle Repair Co-op with the wholesaler's ordering API.
type SupplierClient struct {
	http    *http.Client
	baseURL string
	apiKey  string
}

func NewSupplierClient(baseURL, apiKey string) *SupplierClient {
	return &SupplierClient{
		http: &http.Client{
			Timeout:   15 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second},
		},
		baseURL: baseURL,
		apiKey:  apiKey,
	}
}

type OrderLine struct {
	OrderID int64  `json:"-"`
	SKU     string `json:"sku"`
	Qty     int    `json:"qty"`
}

type PartsOrder struct {
	Ref            string      `json:"reference"`
	IdempotencyKey string      `json:"-"`
	Lines          []OrderLine `json:"lines"`
}

type retryableError struct{ err error }

func (e retryableError) Error() string { return e.err.Error() }

// PlaceOrder retries 429/5xx and network errors with capped exponential
// backoff and full jitter. The Idempotency-Key header makes a retried POST
// safe: the wholesaler returns the original acknowledgement.
func (c *SupplierClient) PlaceOrder(ctx context.Context, order PartsOrder) error {
	body, err := json.Marshal(order)
	if err != nil {
		return err
	}
	const maxAttempts = 5
	backoff, maxBackoff := 500*time.Millisecond, 8*time.Second
	for attempt := 1; ; attempt++ {
		err := c.placeOnce(ctx, body, order.IdempotencyKey)
		if err == nil {
			return nil
		}
		if _, ok := err.(retryableError); !ok || attempt == maxAttempts {
			return fmt.Errorf("place order %s (attempt %d): %w", order.Ref, attempt, err)
		}
		wait := time.Duration(rand.Int63n(int64(backoff)))
		log.Printf("supplier order %s attempt %d failed: %v; retrying in %s", order.Ref, attempt, err, wait)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
		if backoff *= 2; backoff > maxBackoff {
			backoff = maxBackoff
		}
	}
}

func (c *SupplierClient) placeOnce(ctx context.Context, body []byte, key string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/v2/orders", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.http.Do(req)
	if err != nil {
		return retryableError{err}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return retryableError{fmt.Errorf("supplier returned %s", resp.Status)}
	case resp.StatusCode >= 300:
		return fmt.Errorf("supplier rejected order: %s", resp.Status)
	}
	return nil
}

// LinesForOrders loads the lines of a batch of co-op orders in one query.
func LinesForOrders(ctx context.Context, db *sql.DB, orderIDs []int64) (map[int64][]OrderLine, error) {
	rows, err := db.QueryContext(ctx,
		`SELECT order_id, sku, qty FROM parts_order_lines WHERE order_id = ANY($1) ORDER BY order_id, id`,
		pq.Array(orderIDs))
	if err != nil {
		return nil, fmt.Errorf("load order lines: %w", err)
	}
	defer rows.Close()
	out := make(map[int64][]OrderLine, len(orderIDs))
	for rows.Next() {
		var l OrderLine
		if err := rows.Scan(&l.OrderID, &l.SKU, &l.Qty); err != nil {
			return nil, err
		}
		out[l.OrderID] = append(out[l.OrderID], l)
	}
	return out, rows.Err()
}
