package footplate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"
)

// Footplate experiences on heritage narrow-gauge lines: a guest rides in the
// cab with the driver and fireman. Several railways share this service, so every
// statement is scoped by railway_id. DB is the shared *sql.DB pool from main.

var (
	ErrSoldOut        = errors.New("footplate slot sold out")
	errMissingIdemKey = errors.New("Idempotency-Key header required")
)

type BookingService struct {
	DB *sql.DB
}

type bookingRequest struct {
	GuestName  string `json:"guest_name"`
	GuestEmail string `json:"guest_email"`
	HeightCM   int    `json:"height_cm"` // cab clearance on the smaller locos
}

// Book takes one place on a footplate slot. Retries with the same idempotency
// key return the booking that was created the first time.
func (s *BookingService) Book(ctx context.Context, railwayID, slotID int64, idemKey string, req bookingRequest) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()

	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	var bookingID int64
	err = tx.QueryRowContext(ctx,
		`INSERT INTO footplate_bookings (railway_id, slot_id, idempotency_key, guest_name, guest_email, height_cm)
		 VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT (railway_id, idempotency_key) DO NOTHING
		 RETURNING id`,
		railwayID, slotID, idemKey, req.GuestName, req.GuestEmail, req.HeightCM).Scan(&bookingID)
	if errors.Is(err, sql.ErrNoRows) {
		// Same key seen before: hand back the original booking.
		err = tx.QueryRowContext(ctx,
			`SELECT id FROM footplate_bookings WHERE railway_id = $1 AND idempotency_key = $2`,
			railwayID, idemKey).Scan(&bookingID)
		return bookingID, err
	}
	if err != nil {
		return 0, err
	}

	res, err := tx.ExecContext(ctx,
		`UPDATE footplate_slots
		    SET places_left = places_left - 1
		  WHERE id = $1 AND railway_id = $2 AND places_left > 0`,
		slotID, railwayID)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, ErrSoldOut
	}
	return bookingID, tx.Commit()
}

// POST /railways/{railwayID}/footplate/{slotID}/bookings
func (s *BookingService) HandleBook(w http.ResponseWriter, r *http.Request) {
	railwayID, _ := strconv.ParseInt(r.PathValue("railwayID"), 10, 64)
	slotID, _ := strconv.ParseInt(r.PathValue("slotID"), 10, 64)
	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey == "" {
		http.Error(w, errMissingIdemKey.Error(), http.StatusBadRequest)
		return
	}

	var req bookingRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<10)).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}

	id, err := s.Book(r.Context(), railwayID, slotID, idemKey, req)
	switch {
	case errors.Is(err, ErrSoldOut):
		http.Error(w, "sold out", http.StatusConflict)
	case err != nil:
		log.Printf("footplate book railway=%d slot=%d: %v", railwayID, slotID, err)
		http.Error(w, "booking failed", http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]int64{"booking_id": id})
	}
}
