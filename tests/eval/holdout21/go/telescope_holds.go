package observatory

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Members of the astronomy society reserve the 40 cm reflector in one-hour
// slots. Picking a slot places a 15 minute hold while the member fills in the
// observing plan (targets, filters, camera); submitting the plan converts the
// hold into a confirmed session.

const holdDuration = 15 * time.Minute

type holdRequest struct {
	SlotID     int64 `json:"slot_id"`
	ObserverID int64 `json:"observer_id"`
}

type holdResponse struct {
	HoldID    string    `json:"hold_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

func HoldSlot(w http.ResponseWriter, r *http.Request) {
	var req holdRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}

	db, err := sql.Open("pgx", os.Getenv("OBSERVATORY_DSN"))
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	// Serialise holds on the same slot for the rest of this transaction.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, req.SlotID); err != nil {
		http.Error(w, "could not lock slot", http.StatusInternalServerError)
		return
	}

	var taken bool
	err = tx.QueryRowContext(ctx, `
		SELECT EXISTS (
			SELECT 1 FROM telescope_sessions WHERE slot_id = $1
			UNION ALL
			SELECT 1 FROM slot_holds WHERE slot_id = $1 AND expires_at > now()
		)`, req.SlotID).Scan(&taken)
	if err != nil {
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	if taken {
		http.Error(w, "slot is held or booked", http.StatusConflict)
		return
	}

	resp := holdResponse{HoldID: uuid.NewString(), ExpiresAt: time.Now().Add(holdDuration)}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO slot_holds (id, slot_id, observer_id, expires_at) VALUES ($1, $2, $3, $4)`,
		resp.HoldID, req.SlotID, req.ObserverID, resp.ExpiresAt,
	); err != nil {
		http.Error(w, "hold failed", http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("commit hold for slot %d: %v", req.SlotID, err)
		http.Error(w, "hold failed", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(resp)
}
