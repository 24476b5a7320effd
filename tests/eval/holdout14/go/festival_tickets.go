// Package boxoffice sells screening tickets for the Harbourfront Film Festival.
// Service -> Repo (sqlx + Postgres); chi handlers are in http.go. Redis caches "my tickets".
package boxoffice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
)

var (
	ErrSoldOut     = errors.New("not enough seats left")
	ErrSalesClosed = errors.New("sales closed for this screening")
	ErrDuplicate   = errors.New("order already placed")
)

type Screening struct {
	ID        int64     `db:"id" json:"id"`
	FilmTitle string    `db:"film_title" json:"film_title"`
	StartsAt  time.Time `db:"starts_at" json:"starts_at"`
	SeatsLeft int       `db:"seats_left" json:"seats_left"`
}

type Ticket struct {
	OrderID   int64     `db:"order_id" json:"order_id"`
	FilmTitle string    `db:"film_title" json:"film_title"`
	StartsAt  time.Time `db:"starts_at" json:"starts_at"`
	Qty       int       `db:"qty" json:"qty"`
}

// ---- repository ----

type Repo struct{ db *sqlx.DB }

func (r *Repo) Screening(ctx context.Context, id int64) (Screening, error) {
	var s Screening
	err := r.db.GetContext(ctx, &s, `SELECT id, film_title, starts_at, seats_left FROM screenings WHERE id = $1`, id)
	return s, err
}

// Purchase takes the seats and records the order in one transaction.
func (r *Repo) Purchase(ctx context.Context, screeningID, userID int64, qty int, clientRef string) (int64, error) {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`UPDATE screenings SET seats_left = seats_left - $1 WHERE id = $2 AND seats_left >= $1`, qty, screeningID)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, ErrSoldOut
	}

	var orderID int64
	err = tx.GetContext(ctx, &orderID, `INSERT INTO orders (screening_id, user_id, qty, client_ref)
		VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, client_ref) DO NOTHING RETURNING id`,
		screeningID, userID, qty, clientRef)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrDuplicate // double submit; rollback gives the seats back
	} else if err != nil {
		return 0, err
	}
	return orderID, tx.Commit()
}

func (r *Repo) TicketsForUser(ctx context.Context, userID int64) ([]Ticket, error) {
	var out []Ticket
	err := r.db.SelectContext(ctx, &out, `SELECT o.id AS order_id, s.film_title, s.starts_at, o.qty
		FROM orders o JOIN screenings s ON s.id = o.screening_id
		WHERE o.user_id = $1 ORDER BY s.starts_at LIMIT 100`, userID)
	return out, err
}

// ---- service ----

type Service struct {
	repo *Repo
	rdb  *redis.Client
}

func myTicketsKey(userID int64) string { return fmt.Sprintf("hff:mytickets:%d", userID) }

func (s *Service) Buy(ctx context.Context, screeningID, userID int64, qty int, clientRef string) (int64, error) {
	sc, err := s.repo.Screening(ctx, screeningID)
	if err != nil {
		return 0, err
	}
	if time.Until(sc.StartsAt) < 15*time.Minute {
		return 0, ErrSalesClosed
	}
	if sc.SeatsLeft < qty {
		return 0, ErrSoldOut // fast path for the UI; the conditional UPDATE is the real guard
	}
	id, err := s.repo.Purchase(ctx, screeningID, userID, qty, clientRef)
	if err != nil {
		return 0, err
	}
	if err := s.rdb.Del(ctx, myTicketsKey(userID)).Err(); err != nil {
		slog.Warn("invalidate my-tickets cache", "user", userID, "err", err)
	}
	return id, nil
}

// MyTickets is the attendee's own ticket wallet; cached per user for a minute.
func (s *Service) MyTickets(ctx context.Context, userID int64) ([]Ticket, error) {
	if b, err := s.rdb.Get(ctx, myTicketsKey(userID)).Bytes(); err == nil {
		var t []Ticket
		if json.Unmarshal(b, &t) == nil {
			return t, nil
		}
	}
	t, err := s.repo.TicketsForUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if b, err := json.Marshal(t); err == nil {
		s.rdb.Set(ctx, myTicketsKey(userID), b, time.Minute)
	}
	return t, nil
}
