package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// Invoice rows belong to an organisation (org_id). Handlers pass the caller's org.
type Invoice struct {
	ID     int64  `db:"id"`
	OrgID  int64  `db:"org_id"`
	Number string `db:"number"`
	Total  int64  `db:"total_cents"`
	Status string `db:"status"`
}

type Store struct {
	db *sqlx.DB
}

func (s *Store) ListInvoices(ctx context.Context, orgID int64, limit, offset int) ([]Invoice, error) {
	var out []Invoice
	err := s.db.SelectContext(ctx, &out,
		`SELECT id, org_id, number, total_cents, status FROM invoices
		 WHERE org_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`, orgID, limit, offset)
	return out, err
}

func (s *Store) GetInvoice(ctx context.Context, orgID, id int64) (Invoice, error) {
	var inv Invoice
	err := s.db.GetContext(ctx, &inv,
		`SELECT id, org_id, number, total_cents, status FROM invoices WHERE org_id = $1 AND id = $2`, orgID, id)
	return inv, err
}

func (s *Store) MarkPaid(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE invoices SET status = 'paid', paid_at = now() WHERE id = $1`, id)
	return err
}

func (s *Store) SearchInvoices(ctx context.Context, q string) ([]Invoice, error) {
	var out []Invoice
	err := s.db.SelectContext(ctx, &out,
		`SELECT id, org_id, number, total_cents, status FROM invoices WHERE number ILIKE $1 LIMIT 20`, "%"+q+"%")
	return out, err
}
