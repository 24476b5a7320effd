package rentals

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Multi-shop SaaS: every luthier/shop is a tenant and every table carries shop_id.

type Instrument struct {
	ID         int64     `db:"id"`
	ShopID     int64     `db:"shop_id"`
	SerialNo   string    `db:"serial_no"`
	Size       string    `db:"size"` // 1/16 … 4/4
	Condition  string    `db:"condition"`
	LastServed time.Time `db:"last_serviced_at"`
}

type Rental struct {
	ID           int64     `db:"id"`
	ShopID       int64     `db:"shop_id"`
	InstrumentID int64     `db:"instrument_id"`
	CustomerID   int64     `db:"customer_id"`
	DepositPence int64     `db:"deposit_balance_pence"`
	DueBack      time.Time `db:"due_back"`
}

type Repo struct {
	db *sqlx.DB
}

func NewRepo(db *sqlx.DB) *Repo { return &Repo{db: db} }

// OverdueRentals is used by the shop's morning checklist.
func (r *Repo) OverdueRentals(ctx context.Context, shopID int64, limit, offset int) ([]Rental, error) {
	var out []Rental
	err := r.db.SelectContext(ctx, &out,
		`SELECT id, shop_id, instrument_id, customer_id, deposit_balance_pence, due_back
		   FROM rentals
		  WHERE shop_id = $1 AND returned_at IS NULL AND due_back < now()
		  ORDER BY due_back
		  LIMIT $2 OFFSET $3`, shopID, limit, offset)
	return out, err
}

// InstrumentBySerial is what the returns desk calls after scanning the label
// inside the violin's f-hole.
func (r *Repo) InstrumentBySerial(ctx context.Context, shopID int64, serial string) (*Instrument, error) {
	var inst Instrument
	err := r.db.GetContext(ctx, &inst,
		`SELECT id, shop_id, serial_no, size, condition, last_serviced_at FROM instruments WHERE serial_no = $1`,
		serial)
	if err != nil {
		return nil, fmt.Errorf("instrument %q: %w", serial, err)
	}
	return &inst, nil
}

// ChargeDamage deducts a repair cost from the customer's deposit and logs the charge.
func (r *Repo) ChargeDamage(ctx context.Context, shopID, rentalID, costPence int64, note string) (int64, error) {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	var balance int64
	if err := tx.GetContext(ctx, &balance,
		`SELECT deposit_balance_pence FROM rentals WHERE id = $1 AND shop_id = $2`,
		rentalID, shopID); err != nil {
		return 0, fmt.Errorf("load rental %d: %w", rentalID, err)
	}

	charged := costPence
	if charged > balance {
		charged = balance // the rest is invoiced separately
	}
	newBalance := balance - charged

	if _, err := tx.ExecContext(ctx,
		`UPDATE rentals SET deposit_balance_pence = $1 WHERE id = $2 AND shop_id = $3`,
		newBalance, rentalID, shopID); err != nil {
		return 0, fmt.Errorf("update deposit: %w", err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO deposit_charges (shop_id, rental_id, amount_pence, note) VALUES ($1, $2, $3, $4)`,
		shopID, rentalID, charged, note); err != nil {
		return 0, fmt.Errorf("log charge: %w", err)
	}
	return newBalance, tx.Commit()
}
