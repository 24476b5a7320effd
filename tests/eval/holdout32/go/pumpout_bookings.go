package pumpout

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// BookingRequest is posted by the boater app when someone picks a pump-out
// slot at one of the canal-side stations.
type BookingRequest struct {
	BoatName  string    `json:"boat_name"`
	LicenceNo string    `json:"licence_no"`
	SlotStart time.Time `json:"slot_start"`
}

type Booking struct {
	ID        int64     `json:"id"`
	StationID string    `json:"station_id"`
	SlotStart time.Time `json:"slot_start"`
	BoatName  string    `json:"boat_name"`
}

const slotLength = 20 * time.Minute

func Routes(r chi.Router) {
	r.Post("/stations/{stationID}/bookings", createBooking)
}

// validSlot keeps bookings on the 20 minute grid and inside opening hours
// (08:00 to 18:00 local time at the lock).
func validSlot(t time.Time) bool {
	if t.Before(time.Now()) {
		return false
	}
	if t.Truncate(slotLength) != t {
		return false
	}
	h := t.Hour()
	return h >= 8 && h < 18
}

func createBooking(w http.ResponseWriter, r *http.Request) {
	stationID := chi.URLParam(r, "stationID")

	var req BookingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	if req.LicenceNo == "" || !validSlot(req.SlotStart) {
		http.Error(w, "licence number and a valid slot are required", http.StatusUnprocessableEntity)
		return
	}

	db, err := sql.Open("pgx", os.Getenv("PUMPOUT_DATABASE_URL"))
	if err != nil {
		log.Printf("pumpout: open db: %v", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	// Each station has a single pump, so a slot can only be held by one boat.
	var existing int
	err = db.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM pumpout_bookings WHERE station_id = $1 AND slot_start = $2 AND cancelled_at IS NULL`,
		stationID, req.SlotStart).Scan(&existing)
	if err != nil {
		log.Printf("pumpout: count bookings: %v", err)
		http.Error(w, "could not check slot", http.StatusInternalServerError)
		return
	}
	if existing > 0 {
		http.Error(w, "that slot has just been taken", http.StatusConflict)
		return
	}

	var b Booking
	err = db.QueryRowContext(ctx,
		`INSERT INTO pumpout_bookings (station_id, slot_start, boat_name, licence_no)
		 VALUES ($1, $2, $3, $4)
		 RETURNING id, station_id, slot_start, boat_name`,
		stationID, req.SlotStart, req.BoatName, req.LicenceNo,
	).Scan(&b.ID, &b.StationID, &b.SlotStart, &b.BoatName)
	if err != nil {
		log.Printf("pumpout: insert booking: %v", err)
		http.Error(w, "could not save booking", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	if err := json.NewEncoder(w).Encode(b); err != nil {
		log.Printf("pumpout: encode response: %v", err)
	}
}
