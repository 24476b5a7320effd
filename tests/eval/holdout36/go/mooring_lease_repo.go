// Package moorings is the data layer for the harbour mooring buoy lease
// portal. Several harbour authorities share one Postgres database; every
// table carries harbour_id and the API resolves it from the signed-in
// harbourmaster's token.
package moorings

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

type Lease struct {
	ID          int64     `db:"id"`
	HarbourID   int64     `db:"harbour_id"`
	LeaseRef    string    `db:"lease_ref"`
	BuoyNo      string    `db:"buoy_no"`
	VesselName  string    `db:"vessel_name"`
	Status      string    `db:"status"`
	CreditPence int64     `db:"credit_pence"`
	RenewsOn    time.Time `db:"renews_on"`
}

type Payment struct {
	ID          int64     `db:"id"`
	LeaseID     int64     `db:"lease_id"`
	AmountPence int64     `db:"amount_pence"`
	Method      string    `db:"method"`
	PaidAt      time.Time `db:"paid_at"`
}

type LeaseRepo struct {
	db *sqlx.DB
}

func NewLeaseRepo(db *sqlx.DB) *LeaseRepo { return &LeaseRepo{db: db} }

// ListLeases backs the paged lease table on the harbourmaster's home screen.
func (r *LeaseRepo) ListLeases(ctx context.Context, harbourID int64, afterID int64, pageSize int) ([]Lease, error) {
	if pageSize <= 0 || pageSize > 100 {
		pageSize = 50
	}
	var out []Lease
	err := r.db.SelectContext(ctx, &out, `
		SELECT id, harbour_id, lease_ref, buoy_no, vessel_name, status, credit_pence, renews_on
		  FROM mooring_leases
		 WHERE harbour_id = $1 AND id > $2
		 ORDER BY id
		 LIMIT $3`, harbourID, afterID, pageSize)
	return out, err
}

// GetByRef is used by the "find lease" box; refs look like PLY-0412.
func (r *LeaseRepo) GetByRef(ctx context.Context, harbourID int64, ref string) (*Lease, error) {
	var l Lease
	err := r.db.GetContext(ctx, &l,
		`SELECT id, harbour_id, lease_ref, buoy_no, vessel_name, status, credit_pence, renews_on FROM mooring_leases WHERE lease_ref = $1`, ref)
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// Payments feeds the harbour's "Payments received" tab (JSON, newest
// first); the front end filters by method and vessel client-side.
func (r *LeaseRepo) Payments(ctx context.Context, harbourID int64) ([]Payment, error) {
	var out []Payment
	err := r.db.SelectContext(ctx, &out, `
		SELECT p.id, p.lease_id, p.amount_pence, p.method, p.paid_at
		  FROM lease_payments p
		 WHERE p.harbour_id = $1
		 ORDER BY p.paid_at DESC`, harbourID)
	return out, err
}

// AddCredit records an overpayment or a refund of an unused winter berth
// as credit against next season's lease.
func (r *LeaseRepo) AddCredit(ctx context.Context, harbourID, leaseID, pence int64) (int64, error) {
	var current int64
	if err := r.db.GetContext(ctx, &current,
		`SELECT credit_pence FROM mooring_leases WHERE id = $1 AND harbour_id = $2`,
		leaseID, harbourID); err != nil {
		return 0, err
	}
	updated := current + pence
	if _, err := r.db.ExecContext(ctx,
		`UPDATE mooring_leases SET credit_pence = $1, updated_at = now() WHERE id = $2 AND harbour_id = $3`,
		updated, leaseID, harbourID); err != nil {
		return 0, err
	}
	return updated, nil
}

// Renew moves a lease on by a season once payment has cleared.
func (r *LeaseRepo) Renew(ctx context.Context, harbourID, leaseID int64) error {
	_, err := r.db.ExecContext(ctx, `
		UPDATE mooring_leases
		   SET renews_on = renews_on + interval '1 year', status = 'active', updated_at = now()
		 WHERE id = $1 AND harbour_id = $2`, leaseID, harbourID)
	return err
}
