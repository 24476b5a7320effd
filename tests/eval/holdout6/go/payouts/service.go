package payouts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"strings"
	"time"
)

var ErrInsufficientFunds = errors.New("payouts: insufficient available balance")

// Service moves money from a seller's marketplace balance to their bank
// account via the payment provider.
type Service struct {
	db       *sql.DB
	http     *http.Client
	provider string
}

func NewService(db *sql.DB, providerURL string) *Service {
	return &Service{
		db: db,
		// one client for the whole process; every request it sends is bounded
		http:     &http.Client{Timeout: 15 * time.Second},
		provider: providerURL,
	}
}

// RequestPayout debits the seller balance and records a pending payout.
// idemKey comes from the Idempotency-Key header; a retried request with the
// same key returns the payout that was already created.
func (s *Service) RequestPayout(ctx context.Context, sellerID, amountCents int64, idemKey string) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	var available int64
	err = tx.QueryRowContext(ctx,
		`SELECT available_cents FROM seller_balances WHERE seller_id = $1 FOR UPDATE`, sellerID).Scan(&available)
	if err != nil {
		return 0, fmt.Errorf("lock balance: %w", err)
	}
	if available < amountCents {
		return 0, ErrInsufficientFunds
	}

	var payoutID int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO payouts (seller_id, amount_cents, status, idempotency_key)
		VALUES ($1, $2, 'pending', $3)
		ON CONFLICT (seller_id, idempotency_key) DO NOTHING
		RETURNING id`, sellerID, amountCents, idemKey).Scan(&payoutID)
	if errors.Is(err, sql.ErrNoRows) {
		// duplicate request: hand back the original payout, balance untouched
		err = tx.QueryRowContext(ctx, `SELECT id FROM payouts WHERE seller_id = $1 AND idempotency_key = $2`,
			sellerID, idemKey).Scan(&payoutID)
		return payoutID, err
	} else if err != nil {
		return 0, fmt.Errorf("insert payout: %w", err)
	}

	if _, err := tx.ExecContext(ctx,
		`UPDATE seller_balances SET available_cents = available_cents - $2 WHERE seller_id = $1`,
		sellerID, amountCents); err != nil {
		return 0, fmt.Errorf("debit balance: %w", err)
	}
	return payoutID, tx.Commit()
}

// submit sends a pending payout to the provider, retrying transient failures
// with capped exponential backoff and full jitter.
func (s *Service) submit(ctx context.Context, payoutID int64, body string) error {
	const maxAttempts = 6
	backoff := 500 * time.Millisecond
	var lastErr error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.provider+"/v1/transfers", strings.NewReader(body))
		req.Header.Set("Idempotency-Key", fmt.Sprintf("payout-%d", payoutID))
		resp, err := s.http.Do(req)
		if err == nil {
			resp.Body.Close()
			switch {
			case resp.StatusCode < 300:
				return nil
			case resp.StatusCode < 500:
				return fmt.Errorf("payout %d rejected: provider status %d", payoutID, resp.StatusCode)
			}
			err = fmt.Errorf("provider status %d", resp.StatusCode)
		}
		lastErr = err
		sleep := time.Duration(rand.Int63n(int64(backoff)))
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(backoff*2, 30*time.Second)
	}
	return fmt.Errorf("payout %d: giving up after %d attempts: %w", payoutID, maxAttempts, lastErr)
}
