package tuning

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"time"
)

// The county's one piano tuner publishes visit slots; village halls claim them.
// A slot belongs to at most one hall, so claiming is a single conditional UPDATE.

type Slot struct {
	ID       int64     `json:"id"`
	VisitAt  time.Time `json:"visit_at"`
	Village  string    `json:"village"`
	HallID   *int64    `json:"hall_id,omitempty"`
	Duration int       `json:"duration_min"`
}

type Bookings struct {
	DB *sql.DB
}

// ClaimSlot handles POST /slots/{id}/claim for the signed-in hall committee.
func (b *Bookings) ClaimSlot(w http.ResponseWriter, r *http.Request) {
	slotID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad slot id", http.StatusBadRequest)
		return
	}
	hallID, ok := r.Context().Value(hallKey{}).(int64)
	if !ok {
		http.Error(w, "sign in as a hall", http.StatusUnauthorized)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	var slot Slot
	err = b.DB.QueryRowContext(ctx, `
		UPDATE tuning_slots
		   SET hall_id = $1, claimed_at = now()
		 WHERE id = $2 AND hall_id IS NULL AND visit_at > now() + interval '2 days'
		RETURNING id, visit_at, village, hall_id, duration_min`,
		hallID, slotID,
	).Scan(&slot.ID, &slot.VisitAt, &slot.Village, &slot.HallID, &slot.Duration)
	if err == sql.ErrNoRows {
		// Either someone else got there first or the slot is too close to change.
		http.Error(w, "slot is no longer available", http.StatusConflict)
		return
	}
	if err != nil {
		log.Printf("tuning: claim slot %d for hall %d: %v", slotID, hallID, err)
		http.Error(w, "could not claim slot", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, slot)
}

// ReleaseSlot handles DELETE /slots/{id}/claim; a hall can only release its own claim.
func (b *Bookings) ReleaseSlot(w http.ResponseWriter, r *http.Request) {
	slotID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad slot id", http.StatusBadRequest)
		return
	}
	hallID, ok := r.Context().Value(hallKey{}).(int64)
	if !ok {
		http.Error(w, "sign in as a hall", http.StatusUnauthorized)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	res, err := b.DB.ExecContext(ctx,
		`UPDATE tuning_slots SET hall_id = NULL, claimed_at = NULL WHERE id = $1 AND hall_id = $2`,
		slotID, hallID)
	if err != nil {
		log.Printf("tuning: release slot %d: %v", slotID, err)
		http.Error(w, "could not release slot", http.StatusInternalServerError)
		return
	}
	n, err := res.RowsAffected()
	if err != nil {
		log.Printf("tuning: release slot %d rows: %v", slotID, err)
		http.Error(w, "could not release slot", http.StatusInternalServerError)
		return
	}
	if n == 0 {
		http.Error(w, "you have not claimed that slot", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type hallKey struct{}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("tuning: encode response: %v", err)
	}
}
