// Package orders is the persistence layer for pharmacy orders.
//
// Every table here is scoped by pharmacy_id (one row per store in the chain),
// and every query filters on it. Stock changes are done with conditional
// updates so concurrent checkouts can never oversell.
package orders

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

var (
	ErrOutOfStock    = errors.New("orders: insufficient stock")
	ErrNoRefillsLeft = errors.New("orders: prescription has no refills left")
	ErrNotFound      = errors.New("orders: not found")
)

type Repo struct{ db *sql.DB }

func NewRepo(db *sql.DB) *Repo { return &Repo{db: db} }

// ReserveStock decrements on-hand stock only if enough units are available.
// The WHERE clause makes the check and the write a single atomic statement.
func (r *Repo) ReserveStock(ctx context.Context, pharmacyID int64, sku string, qty int) error {
	res, err := r.db.ExecContext(ctx, `
		UPDATE inventory
		   SET on_hand = on_hand - $3, updated_at = now()
		 WHERE pharmacy_id = $1 AND sku = $2 AND on_hand >= $3`,
		pharmacyID, sku, qty)
	if err != nil {
		return fmt.Errorf("reserve %s: %w", sku, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("reserve %s: %w", sku, err)
	}
	if n == 0 {
		return ErrOutOfStock
	}
	return nil
}

// RefillPrescription consumes one refill. The row is locked for the duration
// of the transaction, so two pharmacists pressing "refill" at the same time
// are serialized and the second one sees the updated count.
func (r *Repo) RefillPrescription(ctx context.Context, pharmacyID, rxID int64) (remaining int, err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	err = tx.QueryRowContext(ctx, `
		SELECT refills_remaining FROM prescriptions
		 WHERE id = $1 AND pharmacy_id = $2
		   FOR UPDATE`, rxID, pharmacyID).Scan(&remaining)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	} else if err != nil {
		return 0, fmt.Errorf("lock prescription %d: %w", rxID, err)
	}
	if remaining <= 0 {
		return 0, ErrNoRefillsLeft
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE prescriptions SET refills_remaining = $1, last_filled_at = now()
		 WHERE id = $2 AND pharmacy_id = $3`, remaining-1, rxID, pharmacyID); err != nil {
		return 0, fmt.Errorf("update prescription %d: %w", rxID, err)
	}
	return remaining - 1, tx.Commit()
}

// CreateOrder is idempotent on (pharmacy_id, idempotency_key): the mobile app
// retries on flaky networks and must not create duplicate orders.
func (r *Repo) CreateOrder(ctx context.Context, pharmacyID, customerID int64, key string) (int64, error) {
	var id int64
	err := r.db.QueryRowContext(ctx, `
		INSERT INTO orders (pharmacy_id, customer_id, idempotency_key, status, created_at)
		VALUES ($1, $2, $3, 'pending', $4)
		ON CONFLICT (pharmacy_id, idempotency_key) DO NOTHING
		RETURNING id`, pharmacyID, customerID, key, time.Now().UTC()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		// Already created by an earlier attempt: return that order.
		err = r.db.QueryRowContext(ctx, `
			SELECT id FROM orders WHERE pharmacy_id = $1 AND idempotency_key = $2`,
			pharmacyID, key).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("create order: %w", err)
	}
	return id, nil
}

// ListOrders returns one page of a customer's orders, newest first (keyset).
func (r *Repo) ListOrders(ctx context.Context, pharmacyID, customerID int64, before time.Time, limit int) (*sql.Rows, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	return r.db.QueryContext(ctx, `
		SELECT id, status, total_cents, created_at FROM orders
		 WHERE pharmacy_id = $1 AND customer_id = $2 AND created_at < $3
		 ORDER BY created_at DESC
		 LIMIT $4`, pharmacyID, customerID, before, limit)
}
