package beachhuts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Repository for seasonal beach hut lets. Several seaside councils use the
// same database, so council_id appears in every WHERE clause.

var ErrLetNotPending = errors.New("let is not pending")

type Let struct {
	ID          int64      `db:"id"`
	CouncilID   int64      `db:"council_id"`
	HutNumber   string     `db:"hut_number"` // e.g. "West Bay 112"
	Season      int        `db:"season"`
	Status      string     `db:"status"`
	FeePence    int        `db:"fee_pence"`
	ConfirmedAt *time.Time `db:"confirmed_at"`
}

type Keyholder struct {
	LetID int64  `db:"let_id"`
	Name  string `db:"name"`
	Phone string `db:"phone"`
}

type LetRepo struct {
	db *sqlx.DB // shared pool, opened once in main
}

func NewLetRepo(db *sqlx.DB) *LetRepo { return &LetRepo{db: db} }

// ListLets pages through a council's lets for a season by id (keyset).
func (r *LetRepo) ListLets(ctx context.Context, councilID int64, season int, afterID int64, limit int) ([]Let, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	var lets []Let
	err := r.db.SelectContext(ctx, &lets,
		`SELECT id, council_id, hut_number, season, status, fee_pence, confirmed_at
		   FROM hut_lets
		  WHERE council_id = $1 AND season = $2 AND id > $3
		  ORDER BY id
		  LIMIT $4`, councilID, season, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list lets council=%d: %w", councilID, err)
	}
	return lets, nil
}

// KeyholdersFor loads the keyholders for a page of lets in one round trip.
func (r *LetRepo) KeyholdersFor(ctx context.Context, councilID int64, lets []Let) (map[int64][]Keyholder, error) {
	ids := make([]int64, 0, len(lets))
	for _, l := range lets {
		ids = append(ids, l.ID)
	}
	var rows []Keyholder
	err := r.db.SelectContext(ctx, &rows,
		`SELECT k.let_id, k.name, k.phone
		   FROM hut_keyholders k
		  WHERE k.council_id = $1 AND k.let_id = ANY($2)
		  ORDER BY k.let_id, k.name`, councilID, pq.Array(ids))
	if err != nil {
		return nil, fmt.Errorf("keyholders council=%d: %w", councilID, err)
	}
	out := make(map[int64][]Keyholder, len(lets))
	for _, k := range rows {
		out[k.LetID] = append(out[k.LetID], k)
	}
	return out, nil
}

// Confirm moves a let from pending to confirmed once the fee is paid. The
// status condition makes a second confirmation a no-op rather than a rewrite.
func (r *LetRepo) Confirm(ctx context.Context, councilID, letID int64) error {
	res, err := r.db.ExecContext(ctx,
		`UPDATE hut_lets
		    SET status = 'confirmed', confirmed_at = now()
		  WHERE id = $1 AND council_id = $2 AND status = 'pending'`, letID, councilID)
	if err != nil {
		return fmt.Errorf("confirm let %d: %w", letID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("confirm let %d: %w", letID, err)
	}
	if n == 0 {
		return ErrLetNotPending
	}
	return nil
}
