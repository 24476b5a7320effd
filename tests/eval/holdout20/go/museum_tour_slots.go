package tours

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

type SlotAvailability struct {
	SlotID    int64     `json:"slot_id"`
	StartsAt  time.Time `json:"starts_at"`
	Language  string    `json:"language"`
	SpotsLeft int       `json:"spots_left"`
}

// Availability is the same for every visitor, so it is cached per museum and
// day. The LRU is capped at 2,000 entries and each entry lives 20 seconds.
type Service struct {
	DB    *sql.DB
	Log   *slog.Logger
	cache *expirable.LRU[string, []SlotAvailability]
	group singleflight.Group
}

func NewService(db *sql.DB, log *slog.Logger) *Service {
	return &Service{
		DB:    db,
		Log:   log,
		cache: expirable.NewLRU[string, []SlotAvailability](2000, nil, 20*time.Second),
	}
}

func (s *Service) DayAvailability(ctx context.Context, museumID int64, day time.Time) ([]SlotAvailability, error) {
	key := fmt.Sprintf("%d:%s", museumID, day.Format("2006-01-02"))
	if v, ok := s.cache.Get(key); ok {
		return v, nil
	}
	// Concurrent misses for the same day share one query.
	v, err, _ := s.group.Do(key, func() (any, error) {
		qctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		rows, err := s.DB.QueryContext(qctx, `
			SELECT s.id, s.starts_at, s.language, s.capacity - s.booked AS spots_left
			FROM tour_slots s
			WHERE s.museum_id = $1 AND s.starts_at >= $2 AND s.starts_at < $2 + interval '1 day'
			ORDER BY s.starts_at
			LIMIT 200`, museumID, day)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []SlotAvailability
		for rows.Next() {
			var a SlotAvailability
			if err := rows.Scan(&a.SlotID, &a.StartsAt, &a.Language, &a.SpotsLeft); err != nil {
				return nil, err
			}
			out = append(out, a)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		s.cache.Add(key, out)
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("availability %s: %w", key, err)
	}
	return v.([]SlotAvailability), nil
}

type partnerEvent struct {
	EventID  string `json:"event_id"`
	MuseumID int64  `json:"museum_id"`
	SlotID   int64  `json:"slot_id"`
	Seats    int    `json:"seats"`
}

// PartnerWebhook receives group reservations from the city-pass partner. The
// partner redelivers on any non-2xx, so each event id is recorded first.
func (s *Service) PartnerWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	var evt partnerEvent
	if err != nil || json.Unmarshal(body, &evt) != nil || evt.EventID == "" || evt.Seats <= 0 {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	status, err := s.applyPartnerEvent(r.Context(), evt)
	if err != nil {
		s.Log.Error("partner event", "event", evt.EventID, "err", err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(status)
}

func (s *Service) applyPartnerEvent(ctx context.Context, evt partnerEvent) (int, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `INSERT INTO partner_events (event_id, received_at)
		VALUES ($1, now()) ON CONFLICT (event_id) DO NOTHING`, evt.EventID)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return http.StatusOK, nil // already applied
	}
	res, err = tx.ExecContext(ctx, `UPDATE tour_slots SET booked = booked + $3
		WHERE id = $1 AND museum_id = $2 AND booked + $3 <= capacity`, evt.SlotID, evt.MuseumID, evt.Seats)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return http.StatusConflict, nil // slot full: rolled back, partner marks it rejected
	}
	return http.StatusOK, tx.Commit()
}
