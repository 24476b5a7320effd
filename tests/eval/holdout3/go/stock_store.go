package inventory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	ErrOutOfStock        = errors.New("out of stock")
	ErrCouponUsed        = errors.New("coupon already redeemed")
	ErrInsufficientFunds = errors.New("insufficient funds")
)

// Store is the production-ready data layer for stock, coupons and wallets.
// All mutations are atomic in the database, so it is safe to run any number
// of API replicas against it.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore builds the connection pool once at startup; handlers share it.
func NewStore(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse dsn: %w", err)
	}
	cfg.MaxConns = 20
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Reserve decrements stock only if enough units are left, in one statement.
func (s *Store) Reserve(ctx context.Context, productID int64, qty int) (remaining int, err error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	err = s.pool.QueryRow(ctx,
		`UPDATE products SET stock = stock - $1, updated_at = now()
		 WHERE id = $2 AND stock >= $1
		 RETURNING stock`, qty, productID).Scan(&remaining)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrOutOfStock
	}
	return remaining, err
}

// RedeemCoupon relies on the UNIQUE (coupon_id) constraint on coupon_redemptions.
func (s *Store) RedeemCoupon(ctx context.Context, couponID, userID int64) error {
	_, err := s.pool.Exec(ctx,
		`INSERT INTO coupon_redemptions (coupon_id, user_id, redeemed_at) VALUES ($1, $2, now())`,
		couponID, userID)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		return ErrCouponUsed
	}
	return err
}

// Transfer moves money between two wallets. Rows are locked in id order to
// avoid deadlocks between opposite transfers.
func (s *Store) Transfer(ctx context.Context, from, to int64, cents int64) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		first, second := from, to
		if second < first {
			first, second = second, first
		}
		if _, err := tx.Exec(ctx,
			`SELECT id FROM wallets WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, first, second); err != nil {
			return err
		}

		var balance int64
		if err := tx.QueryRow(ctx, `SELECT balance_cents FROM wallets WHERE id = $1`, from).Scan(&balance); err != nil {
			return fmt.Errorf("load wallet %d: %w", from, err)
		}
		if balance < cents {
			return ErrInsufficientFunds
		}

		if _, err := tx.Exec(ctx, `UPDATE wallets SET balance_cents = balance_cents - $1 WHERE id = $2`, cents, from); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE wallets SET balance_cents = balance_cents + $1 WHERE id = $2`, cents, to); err != nil {
			return err
		}
		_, err := tx.Exec(ctx,
			`INSERT INTO wallet_transfers (from_wallet, to_wallet, amount_cents) VALUES ($1, $2, $3)`,
			from, to, cents)
		return err
	})
}
