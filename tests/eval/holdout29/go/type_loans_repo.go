package typeloans

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Several letterpress studios share this service; every table has studio_id
// and every query is scoped by it.

var (
	ErrCaseOnLoan   = errors.New("type case already on loan")
	ErrCaseNotFound = errors.New("type case not found")
)

type Loan struct {
	ID         int64      `db:"id" json:"id"`
	StudioID   int64      `db:"studio_id" json:"-"`
	CaseID     int64      `db:"case_id" json:"case_id"`
	Face       string     `db:"face" json:"face"` // e.g. "Caslon 540, 24pt"
	BorrowerID int64      `db:"borrower_id" json:"borrower_id"`
	DueBack    time.Time  `db:"due_back" json:"due_back"`
	ReturnedAt *time.Time `db:"returned_at" json:"returned_at,omitempty"`
}

type Repo struct {
	db *sqlx.DB
}

// Checkout lends a type case to a member. The case row is locked for the
// duration of the transaction so two members cannot take the same case.
func (r *Repo) Checkout(ctx context.Context, studioID, caseID, borrowerID int64, due time.Time) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin checkout: %w", err)
	}
	defer tx.Rollback()

	var status string
	err = tx.GetContext(ctx, &status,
		`SELECT status FROM type_cases WHERE id = $1 AND studio_id = $2 FOR UPDATE`,
		caseID, studioID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrCaseNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("lock case %d: %w", caseID, err)
	}
	if status != "available" {
		return 0, ErrCaseOnLoan
	}

	var loanID int64
	if err := tx.QueryRowxContext(ctx,
		`INSERT INTO type_loans (studio_id, case_id, borrower_id, due_back)
		 VALUES ($1, $2, $3, $4) RETURNING id`,
		studioID, caseID, borrowerID, due).Scan(&loanID); err != nil {
		return 0, fmt.Errorf("insert loan: %w", err)
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE type_cases SET status = 'on_loan' WHERE id = $1 AND studio_id = $2`,
		caseID, studioID); err != nil {
		return 0, fmt.Errorf("mark case on loan: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit checkout: %w", err)
	}
	return loanID, nil
}

// OpenLoans returns one page of a studio's outstanding loans, oldest due first.
// Pass the last (due_back, id) seen to get the next page.
func (r *Repo) OpenLoans(ctx context.Context, studioID int64, afterDue time.Time, afterID int64, pageSize int) ([]Loan, error) {
	if pageSize <= 0 || pageSize > 100 {
		pageSize = 50
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	loans := []Loan{}
	err := r.db.SelectContext(ctx, &loans,
		`SELECT l.id, l.studio_id, l.case_id, c.face, l.borrower_id, l.due_back, l.returned_at
		   FROM type_loans l
		   JOIN type_cases c ON c.id = l.case_id AND c.studio_id = l.studio_id
		  WHERE l.studio_id = $1
		    AND l.returned_at IS NULL
		    AND (l.due_back, l.id) > ($2, $3)
		  ORDER BY l.due_back, l.id
		  LIMIT $4`,
		studioID, afterDue, afterID, pageSize)
	if err != nil {
		return nil, fmt.Errorf("open loans studio %d: %w", studioID, err)
	}
	return loans, nil
}
