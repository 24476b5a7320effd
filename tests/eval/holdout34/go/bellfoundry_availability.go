package visits

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// Foundry tour availability for the booking calendar. A new month of tours
// is announced in the Friends of the Foundry newsletter, and the calendar
// page gets most of its traffic in the hour after that email goes out.

type App struct {
	pool          *pgxpool.Pool
	redisAddr     string
	redisPassword string
}

type DayAvailability struct {
	Date       string `json:"date"`
	Slots      int    `json:"slots"`
	PlacesLeft int    `json:"places_left"`
	CastingDay bool   `json:"casting_day"` // pour visible from the gallery
}

// Availability handles GET /api/availability?month=2025-06.
func (a *App) Availability(w http.ResponseWriter, r *http.Request) {
	start, err := time.Parse("2006-01", r.URL.Query().Get("month"))
	if err != nil {
		http.Error(w, "month must be YYYY-MM", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	rdb := redis.NewClient(&redis.Options{Addr: a.redisAddr, Password: a.redisPassword})
	defer rdb.Close()

	key := "foundry:availability:" + start.Format("2006-01")
	cached, err := rdb.Get(ctx, key).Bytes()
	if err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(cached)
		return
	}
	if !errors.Is(err, redis.Nil) {
		log.Printf("availability cache read %s: %v", key, err)
	}

	days, err := a.computeMonth(ctx, start)
	if err != nil {
		log.Printf("compute availability %s: %v", key, err)
		http.Error(w, "could not load availability", http.StatusInternalServerError)
		return
	}
	payload, err := json.Marshal(days)
	if err != nil {
		log.Printf("encode availability: %v", err)
		http.Error(w, "could not load availability", http.StatusInternalServerError)
		return
	}
	if err := rdb.Set(ctx, key, payload, 5*time.Minute).Err(); err != nil {
		log.Printf("availability cache write %s: %v", key, err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(payload)
}

// computeMonth walks every tour slot in the month against bookings, group
// reservations, staff rota and the casting schedule. About 2 s on the
// production database.
func (a *App) computeMonth(ctx context.Context, start time.Time) ([]DayAvailability, error) {
	rows, err := a.pool.Query(ctx, `
		SELECT d::date::text,
		       count(DISTINCT s.id) AS slots,
		       COALESCE(sum(s.capacity), 0)
		         - COALESCE(sum(b.party_size), 0)
		         - COALESCE(sum(g.reserved_places), 0) AS places_left,
		       bool_or(c.id IS NOT NULL) AS casting_day
		  FROM generate_series($1::date, ($1::date + interval '1 month' - interval '1 day'), interval '1 day') d
		  LEFT JOIN tour_slots s ON s.starts_at::date = d
		       AND EXISTS (SELECT 1 FROM staff_rota sr WHERE sr.on_date = d AND sr.role = 'guide')
		  LEFT JOIN bookings b ON b.slot_id = s.id AND b.status IN ('confirmed', 'pending_payment')
		  LEFT JOIN group_reservations g ON g.slot_id = s.id
		  LEFT JOIN casting_schedule c ON c.cast_on = d
		 GROUP BY d
		 ORDER BY d`, start)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DayAvailability
	for rows.Next() {
		var day DayAvailability
		if err := rows.Scan(&day.Date, &day.Slots, &day.PlacesLeft, &day.CastingDay); err != nil {
			return nil, err
		}
		out = append(out, day)
	}
	return out, rows.Err()
}
