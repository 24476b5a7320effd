package seedbank

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	ErrInsufficientStock = errors.New("not enough seed in the accession")
	ErrDuplicateRequest  = errors.New("withdrawal already recorded")
)

type WithdrawalRepo struct {
	db *sqlx.DB
}

type Withdrawal struct {
	IdempotencyKey string
	BankID         int64
	AccessionID    int64
	MemberID       int64
	Grams          float64
}

// Withdraw removes seed from an accession for a member's growing-out trial.
// The client sends an Idempotency-Key header so a retried request after a
// flaky mobile connection never withdraws twice.
func (r *WithdrawalRepo) Withdraw(parent context.Context, w Withdrawal) (remaining float64, err error) {
	ctx, cancel := context.WithTimeout(parent, 4*time.Second)
	defer cancel()

	tx, err := r.db.BeginTxx(ctx, &sql.TxOptions{})
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() // no-op after a successful Commit

	res, err := tx.ExecContext(ctx, `
		INSERT INTO seed_withdrawals (idempotency_key, bank_id, accession_id, member_id, grams, created_at)
		VALUES ($1, $2, $3, $4, $5, now())
		ON CONFLICT (bank_id, idempotency_key) DO NOTHING`,
		w.IdempotencyKey, w.BankID, w.AccessionID, w.MemberID, w.Grams)
	if err != nil {
		return 0, fmt.Errorf("record withdrawal: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		err = ErrDuplicateRequest
		return 0, err
	}

	// Decrement and check in one statement: the row is only touched when
	// enough seed is left, so two members can never overdraw an accession.
	err = tx.GetContext(ctx, &remaining, `
		UPDATE accessions
		   SET stock_grams = stock_grams - $1,
		       updated_at  = now()
		 WHERE id = $2 AND bank_id = $3 AND stock_grams >= $1
		RETURNING stock_grams`,
		w.Grams, w.AccessionID, w.BankID)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrInsufficientStock
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("decrement stock: %w", err)
	}

	if err = tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return remaining, nil
}

// RecentWithdrawals lists the latest withdrawals of one accession for the
// curator's detail page.
func (r *WithdrawalRepo) RecentWithdrawals(parent context.Context, bankID, accessionID int64) ([]Withdrawal, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	defer cancel()

	var out []Withdrawal
	err := r.db.SelectContext(ctx, &out, `
		SELECT idempotency_key AS "idempotencykey", bank_id AS "bankid",
		       accession_id AS "accessionid", member_id AS "memberid", grams
		  FROM seed_withdrawals
		 WHERE bank_id = $1 AND accession_id = $2
		 ORDER BY created_at DESC
		 LIMIT 25`, bankID, accessionID)
	if err != nil {
		return nil, fmt.Errorf("recent withdrawals: %w", err)
	}
	return out, nil
}
