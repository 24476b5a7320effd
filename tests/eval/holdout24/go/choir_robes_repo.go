package robes

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// RobeRepo stores the cassocks, surplices and ruffs each cathedral lends to its
// choristers. The app is shared by several cathedrals; cathedral_id scopes every query.
type RobeRepo struct {
	db *sqlx.DB
}

type Robe struct {
	ID          int64         `db:"id"`
	CathedralID int64         `db:"cathedral_id"`
	Kind        string        `db:"kind"` // cassock, surplice, ruff
	Size        string        `db:"size"`
	Colour      string        `db:"colour"`
	Status      string        `db:"status"` // available, issued, laundry, retired
	IssuedTo    sql.NullInt64 `db:"issued_to"`
	IssuedAt    sql.NullTime  `db:"issued_at"`
}

var (
	ErrRobeNotFound  = errors.New("robe not found")
	ErrRobeNotFree   = errors.New("robe is not available")
	ErrNotIssuedToMe = errors.New("robe is not issued to this chorister")
)

func NewRobeRepo(db *sqlx.DB) *RobeRepo { return &RobeRepo{db: db} }

// ListAvailable pages through available robes of one kind and size using keyset pagination.
func (r *RobeRepo) ListAvailable(ctx context.Context, cathedralID int64, kind, size string, afterID int64, limit int) ([]Robe, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	var out []Robe
	err := r.db.SelectContext(ctx, &out, `
		SELECT id, cathedral_id, kind, size, colour, status, issued_to, issued_at
		FROM robes
		WHERE cathedral_id = $1 AND kind = $2 AND size = $3 AND status = 'available' AND id > $4
		ORDER BY id
		LIMIT $5`, cathedralID, kind, size, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list robes: %w", err)
	}
	return out, nil
}

// Issue hands a robe to a chorister. The row lock keeps two choir mistresses from
// issuing the same surplice at the same moment.
func (r *RobeRepo) Issue(ctx context.Context, cathedralID, robeID, choristerID int64) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	var status string
	err = tx.GetContext(ctx, &status,
		`SELECT status FROM robes WHERE id = $1 AND cathedral_id = $2 FOR UPDATE`, robeID, cathedralID)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrRobeNotFound
	}
	if err != nil {
		return fmt.Errorf("lock robe %d: %w", robeID, err)
	}
	if status != "available" {
		return ErrRobeNotFree
	}

	if _, err := tx.ExecContext(ctx,
		`UPDATE robes SET status = 'issued', issued_to = $1, issued_at = now() WHERE id = $2 AND cathedral_id = $3`,
		choristerID, robeID, cathedralID); err != nil {
		return fmt.Errorf("issue robe %d: %w", robeID, err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO robe_movements (cathedral_id, robe_id, chorister_id, action) VALUES ($1, $2, $3, 'issued')`,
		cathedralID, robeID, choristerID); err != nil {
		return fmt.Errorf("record movement: %w", err)
	}
	return tx.Commit()
}

// Return marks a robe as back in the vestry (it goes to laundry first).
func (r *RobeRepo) Return(ctx context.Context, cathedralID, robeID, choristerID int64) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	res, err := r.db.ExecContext(ctx, `
		UPDATE robes SET status = 'laundry', issued_to = NULL, issued_at = NULL
		WHERE id = $1 AND cathedral_id = $2 AND status = 'issued' AND issued_to = $3`,
		robeID, cathedralID, choristerID)
	if err != nil {
		return fmt.Errorf("return robe %d: %w", robeID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("return robe %d: %w", robeID, err)
	}
	if n == 0 {
		return ErrNotIssuedToMe
	}
	return nil
}
