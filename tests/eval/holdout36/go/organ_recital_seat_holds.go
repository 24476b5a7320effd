package recitals

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"strings"
	"time"
)

// Seat holds for the Sunday organ recital series. A hold lasts ten minutes
// while the visitor fills in the donation form; the diocesan box office is
// told about confirmed seats so the two seating plans agree.
type Service struct {
	DB        *sql.DB
	BoxOffice *http.Client
	BoxURL    string
}

func NewService(db *sql.DB, boxURL string) *Service {
	return &Service{
		DB:        db,
		BoxOffice: &http.Client{Timeout: 5 * time.Second},
		BoxURL:    boxURL,
	}
}

var ErrSeatTaken = errors.New("seat taken")

// HoldSeat takes the seat if it is free or its previous hold has lapsed.
func (s *Service) HoldSeat(ctx context.Context, recitalID int64, seat string, visitor string) error {
	res, err := s.DB.ExecContext(ctx, `
		INSERT INTO recital_seat_holds (recital_id, seat_no, visitor_ref, expires_at)
		VALUES ($1, $2, $3, now() + interval '10 minutes')
		ON CONFLICT (recital_id, seat_no) DO UPDATE
		   SET visitor_ref = EXCLUDED.visitor_ref, expires_at = EXCLUDED.expires_at
		 WHERE recital_seat_holds.expires_at < now()`, recitalID, seat, visitor)
	if err != nil {
		return fmt.Errorf("hold seat %s: %w", seat, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrSeatTaken
	}
	return nil
}

// PurgeExpiredHolds runs for the life of the process (started once from
// main) and clears lapsed holds so the table stays small.
func (s *Service) PurgeExpiredHolds(ctx context.Context) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			res, err := s.DB.ExecContext(ctx,
				`DELETE FROM recital_seat_holds WHERE expires_at < now() - interval '1 hour'`)
			if err != nil {
				log.Printf("recitals: purge expired holds: %v", err)
				continue
			}
			n, err := res.RowsAffected()
			if err != nil {
				log.Printf("recitals: purge row count: %v", err)
				continue
			}
			log.Printf("recitals: purged %d expired holds", n)
		}
	}
}

// NotifyBoxOffice pushes a confirmed seat, retrying transient failures with
// capped exponential backoff and full jitter.
func (s *Service) NotifyBoxOffice(ctx context.Context, recitalID int64, seat string) error {
	const maxAttempts = 5
	base, maxDelay := 200*time.Millisecond, 5*time.Second
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		body := strings.NewReader(fmt.Sprintf(`{"recital":%d,"seat":%q}`, recitalID, seat))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.BoxURL+"/seats/confirmed", body)
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.BoxOffice.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
				if resp.StatusCode >= 300 {
					return fmt.Errorf("box office rejected seat %s: %s", seat, resp.Status)
				}
				return nil
			}
			err = fmt.Errorf("box office: %s", resp.Status)
		}
		lastErr = err
		delay := base << attempt
		if delay > maxDelay {
			delay = maxDelay
		}
		select {
		case <-time.After(time.Duration(rand.Int63n(int64(delay)) + 1)):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	log.Printf("recitals: box office gave up on seat %s after %d attempts: %v", seat, maxAttempts, lastErr)
	return lastErr
}
