package tours

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

// The lamp-room tour is limited by the stair: 12 visitors per slot.
// places_left is decremented in the same statement that checks it, so two
// people grabbing the last place cannot both get it.

var ErrSoldOut = errors.New("tour slot is full")

type TourStore struct {
	db *sql.DB
}

func NewTourStore(db *sql.DB) *TourStore {
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxLifetime(30 * time.Minute)
	return &TourStore{db: db}
}

// ReservePlaces takes n places on a slot and records the party in one transaction.
func (s *TourStore) ReservePlaces(ctx context.Context, slotID int64, visitor string, n int) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`UPDATE tour_slots
		    SET places_left = places_left - $1
		  WHERE id = $2 AND places_left >= $1 AND starts_at > now()`, n, slotID)
	if err != nil {
		return 0, err
	}
	affected, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if affected == 0 {
		return 0, ErrSoldOut
	}

	var partyID int64
	err = tx.QueryRowContext(ctx,
		`INSERT INTO tour_parties (slot_id, visitor_name, size) VALUES ($1, $2, $3) RETURNING id`,
		slotID, visitor, n).Scan(&partyID)
	if err != nil {
		return 0, err
	}
	return partyID, tx.Commit()
}

type reserveRequest struct {
	Visitor string `json:"visitor"`
	Size    int    `json:"size"`
}

func (s *TourStore) HandleReserve(w http.ResponseWriter, r *http.Request) {
	slotID, err := strconv.ParseInt(r.PathValue("slot"), 10, 64)
	if err != nil {
		http.Error(w, "bad slot id", http.StatusBadRequest)
		return
	}
	var req reserveRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Size < 1 || req.Size > 6 {
		http.Error(w, "party size must be 1-6", http.StatusBadRequest)
		return
	}

	partyID, err := s.ReservePlaces(r.Context(), slotID, req.Visitor, req.Size)
	switch {
	case errors.Is(err, ErrSoldOut):
		http.Error(w, "not enough places left on this tour", http.StatusConflict)
		return
	case err != nil:
		log.Printf("reserve slot %d: %v", slotID, err)
		http.Error(w, "could not reserve", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	if err := json.NewEncoder(w).Encode(map[string]int64{"party_id": partyID}); err != nil {
		log.Printf("write reserve response: %v", err)
	}
}
