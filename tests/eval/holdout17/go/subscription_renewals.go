// You're right that the original version had a race: two renewals for the
// same seat could both read "seat is free" and both insert a subscription.
// Here's the fixed version. The seat row is locked with SELECT ... FOR UPDATE
// inside the transaction, so the second renewal waits and then sees the seat
// as taken. I also put the season catalogue behind singleflight so a cache
// expiry doesn't send every request to Postgres at once.
package opera

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"
	"golang.org/x/sync/singleflight"
)

var ErrSeatTaken = errors.New("seat already held by another subscriber")

type Store struct {
	db  *sql.DB
	log *slog.Logger

	sf       singleflight.Group
	mu       sync.RWMutex
	season   *Season // single entry: the current season only
	loadedAt time.Time
}

type Season struct {
	ID          int64
	Name        string
	Productions []string
}

// RenewSeat renews a subscriber's seat for the next season.
func (s *Store) RenewSeat(ctx context.Context, subscriberID, seatID, seasonID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var holder sql.NullInt64
	err = tx.QueryRowContext(ctx, `
		SELECT holder_id FROM season_seats
		 WHERE seat_id = $1 AND season_id = $2
		 FOR UPDATE`, seatID, seasonID).Scan(&holder)
	if err != nil {
		return fmt.Errorf("lock seat %d: %w", seatID, err)
	}
	if holder.Valid && holder.Int64 != subscriberID {
		return ErrSeatTaken
	}

	if _, err := tx.ExecContext(ctx, `
		UPDATE season_seats SET holder_id = $1, renewed_at = now()
		 WHERE seat_id = $2 AND season_id = $3`, subscriberID, seatID, seasonID); err != nil {
		return fmt.Errorf("assign seat %d: %w", seatID, err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO subscriptions (subscriber_id, seat_id, season_id, status)
		VALUES ($1, $2, $3, 'renewed')
		ON CONFLICT (subscriber_id, seat_id, season_id) DO NOTHING`, subscriberID, seatID, seasonID); err != nil {
		return fmt.Errorf("insert subscription: %w", err)
	}
	if err := tx.Commit(); err != nil {
		s.log.Error("renewal commit failed", "subscriber", subscriberID, "seat", seatID, "err", err)
		return err
	}
	return nil
}

// CurrentSeason returns the cached catalogue, refreshing at most once per
// 10 minutes and only from one goroutine at a time.
func (s *Store) CurrentSeason(ctx context.Context) (*Season, error) {
	s.mu.RLock()
	if s.season != nil && time.Since(s.loadedAt) < 10*time.Minute {
		season := s.season
		s.mu.RUnlock()
		return season, nil
	}
	s.mu.RUnlock()

	v, err, _ := s.sf.Do("season", func() (any, error) {
		season, err := s.loadSeason(ctx)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.season, s.loadedAt = season, time.Now()
		s.mu.Unlock()
		return season, nil
	})
	if err != nil {
		s.log.Error("load season catalogue", "err", err)
		return nil, err
	}
	return v.(*Season), nil
}

func (s *Store) loadSeason(ctx context.Context) (*Season, error) {
	var season Season
	err := s.db.QueryRowContext(ctx, `
		SELECT s.id, s.name, array_agg(p.title ORDER BY p.premiere)
		  FROM seasons s JOIN productions p ON p.season_id = s.id
		 WHERE s.is_current
		 GROUP BY s.id, s.name`).Scan(&season.ID, &season.Name, pq.Array(&season.Productions))
	return &season, err
}
