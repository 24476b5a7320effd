package mooring

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// PermitHandler issues short-stay visitor mooring permits. Each visitor berth
// along the towpath has a fixed length of bank (in metres) available per night,
// and a boater gets a 15 minute hold while they pay the overnight fee.
type PermitHandler struct {
	DB          *sql.DB
	RegisterURL string // Canal & River Trust licence register notification endpoint
}

type permitRequest struct {
	BoatIndex string    `json:"boat_index"`
	LengthM   float64   `json:"length_m"`
	Night     time.Time `json:"night"`
}

type permitResponse struct {
	HoldID    int64     `json:"hold_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (h *PermitHandler) Routes(r chi.Router) {
	r.Post("/berths/{berthID}/holds", h.createHold)
}

func (h *PermitHandler) createHold(w http.ResponseWriter, r *http.Request) {
	berthID, err := strconv.ParseInt(chi.URLParam(r, "berthID"), 10, 64)
	if err != nil {
		http.Error(w, "invalid berth id", http.StatusBadRequest)
		return
	}
	var req permitRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.LengthM <= 0 {
		http.Error(w, "invalid request body", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	var capacityM float64
	err = h.DB.QueryRowContext(ctx,
		`SELECT bank_length_m FROM berths WHERE id = $1 AND active`, berthID).Scan(&capacityM)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "berth not found", http.StatusNotFound)
		return
	} else if err != nil {
		log.Printf("load berth %d: %v", berthID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	// Bank already committed for that night: paid permits plus holds that are
	// still inside their payment window.
	var usedM float64
	err = h.DB.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(length_m), 0) FROM mooring_holds
		WHERE berth_id = $1 AND night = $2 AND (paid OR expires_at > now())`,
		berthID, req.Night).Scan(&usedM)
	if err != nil {
		log.Printf("sum holds berth %d: %v", berthID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if usedM+req.LengthM > capacityM {
		http.Error(w, "not enough bank space left for that night", http.StatusConflict)
		return
	}

	expires := time.Now().Add(15 * time.Minute)
	var holdID int64
	err = h.DB.QueryRowContext(ctx, `
		INSERT INTO mooring_holds (berth_id, boat_index, length_m, night, expires_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		berthID, req.BoatIndex, req.LengthM, req.Night, expires).Scan(&holdID)
	if err != nil {
		log.Printf("insert hold: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	h.notifyRegister(req.BoatIndex, berthID, req.Night)

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(permitResponse{HoldID: holdID, ExpiresAt: expires})
}

// notifyRegister tells the licence register which boat intends to moor where,
// so enforcement officers see it on their patrol app.
func (h *PermitHandler) notifyRegister(boatIndex string, berthID int64, night time.Time) {
	body, _ := json.Marshal(map[string]any{
		"boat_index": boatIndex,
		"berth_id":   berthID,
		"night":      night.Format("2006-01-02"),
	})
	resp, err := http.Post(h.RegisterURL, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("licence register notify failed for %s: %v", boatIndex, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		log.Printf("licence register returned %d for %s", resp.StatusCode, boatIndex)
	}
}
