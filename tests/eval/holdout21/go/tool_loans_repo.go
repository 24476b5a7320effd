package toollib

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

var (
	ErrToolUnavailable = errors.New("tool is not available")
	ErrToolNotFound    = errors.New("tool not found")
)

type Tool struct {
	ID        int64  `db:"id"`
	Name      string `db:"name"`
	Category  string `db:"category"`
	Status    string `db:"status"`
	LibraryID int64  `db:"library_id"`
}

type Loan struct {
	ID       int64     `db:"id"`
	ToolID   int64     `db:"tool_id"`
	MemberID int64     `db:"member_id"`
	DueAt    time.Time `db:"due_at"`
}

// LoanRepo is shared by the lending API and the reminder worker. Each tool
// library (a neighbourhood branch) is a tenant; library_id is on every table.
// Callers pass a context with a deadline (chi middleware.Timeout, 5s).
type LoanRepo struct {
	db *sqlx.DB
}

func NewLoanRepo(db *sqlx.DB) *LoanRepo { return &LoanRepo{db: db} }

// ActiveLoans returns one page of a member's open loans, oldest due first.
func (r *LoanRepo) ActiveLoans(ctx context.Context, libraryID, memberID int64, afterID int64, limit int) ([]Loan, error) {
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	var loans []Loan
	err := r.db.SelectContext(ctx, &loans, `
		SELECT id, tool_id, member_id, due_at
		FROM loans
		WHERE library_id = $1 AND member_id = $2 AND returned_at IS NULL AND id > $3
		ORDER BY id
		LIMIT $4`, libraryID, memberID, afterID, limit)
	return loans, err
}

// ToolsByID loads the tools for a page of loans in one round trip.
func (r *LoanRepo) ToolsByID(ctx context.Context, libraryID int64, ids []int64) (map[int64]Tool, error) {
	out := make(map[int64]Tool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var tools []Tool
	if err := r.db.SelectContext(ctx, &tools, `
		SELECT id, name, category, status, library_id
		FROM tools
		WHERE library_id = $1 AND id = ANY($2)`, libraryID, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("tools by id: %w", err)
	}
	for _, t := range tools {
		out[t.ID] = t
	}
	return out, nil
}

// Checkout lends a tool. The tool row is locked for the duration of the
// transaction so two members at the counter cannot both walk off with it.
func (r *LoanRepo) Checkout(ctx context.Context, libraryID, toolID, memberID int64, days int) (Loan, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return Loan{}, err
	}
	defer tx.Rollback()

	var status string
	err = tx.GetContext(ctx, &status,
		`SELECT status FROM tools WHERE id = $1 AND library_id = $2 FOR UPDATE`, toolID, libraryID)
	if errors.Is(err, sql.ErrNoRows) {
		return Loan{}, ErrToolNotFound
	} else if err != nil {
		return Loan{}, fmt.Errorf("lock tool: %w", err)
	}
	if status != "available" {
		return Loan{}, ErrToolUnavailable
	}

	loan := Loan{ToolID: toolID, MemberID: memberID, DueAt: time.Now().AddDate(0, 0, days)}
	if err := tx.GetContext(ctx, &loan.ID, `
		INSERT INTO loans (library_id, tool_id, member_id, due_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, libraryID, toolID, memberID, loan.DueAt); err != nil {
		return Loan{}, fmt.Errorf("insert loan: %w", err)
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE tools SET status = 'on_loan' WHERE id = $1 AND library_id = $2`, toolID, libraryID); err != nil {
		return Loan{}, fmt.Errorf("mark tool: %w", err)
	}
	return loan, tx.Commit()
}
