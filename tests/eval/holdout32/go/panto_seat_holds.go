package panto

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

// Seat holds for the village pantomime: six performances, and the whole
// village tries to book the Saturday matinee the morning the box office opens.

const holdTTL = 10 * time.Minute

var ErrSeatUnavailable = errors.New("seat unavailable")

type Availability struct {
	PerformanceID int64
	FreeSeats     []string
	ComputedAt    time.Time
}

type Service struct {
	db     *sql.DB
	log    *slog.Logger
	avail  *expirable.LRU[int64, Availability]
	flight singleflight.Group
}

func NewService(db *sql.DB, log *slog.Logger) *Service {
	return &Service{
		db:  db,
		log: log,
		// One seat map for everyone; Hold re-checks in the database anyway.
		avail: expirable.NewLRU[int64, Availability](32, nil, 5*time.Second),
	}
}

// FreeSeats serves the seat picker. hall_seats is the fixed 140-seat plan of
// the hall; concurrent misses for the same performance share one query.
func (s *Service) FreeSeats(ctx context.Context, performanceID int64) (Availability, error) {
	if a, ok := s.avail.Get(performanceID); ok {
		return a, nil
	}
	v, err, _ := s.flight.Do(strconv.FormatInt(performanceID, 10), func() (any, error) {
		qctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		var free []string
		rows, err := s.db.QueryContext(qctx,
			`SELECT s.code FROM hall_seats s
			  WHERE NOT EXISTS (
			        SELECT 1 FROM seat_holds h
			         WHERE h.performance_id = $1 AND h.seat_code = s.code
			           AND (h.sold OR h.expires_at > now()))
			  ORDER BY s.row_letter, s.seat_no`, performanceID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			if err := rows.Scan(&code); err != nil {
				return nil, err
			}
			free = append(free, code)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		a := Availability{PerformanceID: performanceID, FreeSeats: free, ComputedAt: time.Now()}
		s.avail.Add(performanceID, a)
		return a, nil
	})
	if err != nil {
		return Availability{}, fmt.Errorf("free seats for %d: %w", performanceID, err)
	}
	return v.(Availability), nil
}

// Hold takes a seat atomically. An existing row only gets replaced when its
// hold has lapsed and it was never paid for.
func (s *Service) Hold(ctx context.Context, performanceID int64, seat, householdRef string) error {
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO seat_holds (performance_id, seat_code, household_ref, expires_at, sold)
		 VALUES ($1, $2, $3, now() + $4::interval, false)
		 ON CONFLICT (performance_id, seat_code) DO UPDATE
		    SET household_ref = EXCLUDED.household_ref, expires_at = EXCLUDED.expires_at
		  WHERE NOT seat_holds.sold AND seat_holds.expires_at < now()`,
		performanceID, seat, householdRef, fmt.Sprintf("%d seconds", int(holdTTL.Seconds())))
	if err != nil {
		return fmt.Errorf("hold %s: %w", seat, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrSeatUnavailable
	}
	return nil
}

// PurgeLapsedHolds is started once from main and clears holds that were
// never paid for, so the table only carries live holds and sales.
func (s *Service) PurgeLapsedHolds(ctx context.Context) {
	t := time.NewTicker(2 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.purgeOnce(ctx); err != nil {
				s.log.Error("purge lapsed holds", "err", err)
			}
		}
	}
}

func (s *Service) purgeOnce(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := s.db.ExecContext(dctx,
		`DELETE FROM seat_holds WHERE NOT sold AND expires_at < now() - interval '1 minute'`)
	return err
}
