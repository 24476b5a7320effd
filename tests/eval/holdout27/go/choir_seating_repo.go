package seating

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// SeatRepo handles concert seating for the community choir platform. Several
// choirs use the platform, so every query is scoped by choir_id.

var (
	ErrSeatTaken    = errors.New("seat already sold")
	ErrSeatNotFound = errors.New("seat not found")
)

type Seat struct {
	ConcertID int64     `db:"concert_id" json:"concert_id"`
	Code      string    `db:"seat_code" json:"seat_code"`
	Section   string    `db:"section" json:"section"`
	Status    string    `db:"status" json:"status"`
	OrderID   *int64    `db:"order_id" json:"order_id,omitempty"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

type SeatRepo struct {
	db *sqlx.DB
}

func NewSeatRepo(db *sqlx.DB) *SeatRepo { return &SeatRepo{db: db} }

// SellSeats assigns the requested seats to an order, all or nothing. The seat
// rows are locked for the duration of the transaction so two box-office
// volunteers selling the same seat cannot both succeed.
func (r *SeatRepo) SellSeats(ctx context.Context, choirID, concertID, orderID int64, codes []string) error {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	query, args, err := sqlx.In(`
		SELECT concert_id, seat_code, section, status, order_id, updated_at
		FROM concert_seats
		WHERE choir_id = ? AND concert_id = ? AND seat_code IN (?)
		ORDER BY seat_code
		FOR UPDATE`, choirID, concertID, codes)
	if err != nil {
		return err
	}
	var seats []Seat
	if err := tx.SelectContext(ctx, &seats, tx.Rebind(query), args...); err != nil {
		return fmt.Errorf("lock seats: %w", err)
	}
	if len(seats) != len(codes) {
		return ErrSeatNotFound
	}
	for _, s := range seats {
		if s.Status != "available" {
			return fmt.Errorf("%w: %s", ErrSeatTaken, s.Code)
		}
	}

	query, args, err = sqlx.In(`
		UPDATE concert_seats SET status = 'sold', order_id = ?, updated_at = now()
		WHERE choir_id = ? AND concert_id = ? AND seat_code IN (?)`, orderID, choirID, concertID, codes)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(query), args...); err != nil {
		return fmt.Errorf("mark seats sold: %w", err)
	}
	return tx.Commit()
}

// ListSeats returns one page of a concert's seating plan, ordered by seat code.
// Pass the last seat code of the previous page as after ("" for the first page).
func (r *SeatRepo) ListSeats(ctx context.Context, choirID, concertID int64, after string, limit int) ([]Seat, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	var seats []Seat
	err := r.db.SelectContext(ctx, &seats, `
		SELECT concert_id, seat_code, section, status, order_id, updated_at
		FROM concert_seats
		WHERE choir_id = $1 AND concert_id = $2 AND seat_code > $3
		ORDER BY seat_code
		LIMIT $4`, choirID, concertID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list seats: %w", err)
	}
	return seats, nil
}

// ReleaseOrder puts an order's seats back on sale after a refund.
func (r *SeatRepo) ReleaseOrder(ctx context.Context, choirID, orderID int64) (int64, error) {
	res, err := r.db.ExecContext(ctx, `
		UPDATE concert_seats SET status = 'available', order_id = NULL, updated_at = now()
		WHERE choir_id = $1 AND order_id = $2 AND status = 'sold'`, choirID, orderID)
	if err != nil {
		return 0, fmt.Errorf("release order %d: %w", orderID, err)
	}
	return res.RowsAffected()
}
