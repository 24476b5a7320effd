package ferry

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
)

// DeckHandler reserves lane metres on a sailing's vehicle deck.
type DeckHandler struct {
	DB       *sql.DB
	SMSURL   string
	Operator string
}

type reserveRequest struct {
	VehicleReg string  `json:"vehicle_reg"`
	LengthM    float64 `json:"length_m"`
	Phone      string  `json:"phone"`
}

type reserveResponse struct {
	ReservationID int64  `json:"reservation_id"`
	SailingID     string `json:"sailing_id"`
	Lane          string `json:"lane"`
}

func (h *DeckHandler) Routes(r chi.Router) {
	r.Post("/sailings/{sailingID}/deck-reservations", h.reserve)
}

func (h *DeckHandler) reserve(w http.ResponseWriter, r *http.Request) {
	sailingID := chi.URLParam(r, "sailingID")
	var req reserveRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.LengthM <= 0 {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	// Vehicles over 6 m (vans with trailers, campers, HGVs) go in the freight lanes.
	lane := "standard"
	if req.LengthM > 6.0 {
		lane = "freight"
	}

	var freeMetres float64
	err := h.DB.QueryRowContext(ctx,
		`SELECT metres_free FROM deck_lanes WHERE sailing_id = $1 AND lane = $2`,
		sailingID, lane).Scan(&freeMetres)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "unknown sailing", http.StatusNotFound)
		return
	}
	if err != nil {
		log.Printf("deck lookup sailing=%s: %v", sailingID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if freeMetres < req.LengthM {
		http.Error(w, "not enough deck space on this sailing", http.StatusConflict)
		return
	}

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("begin tx: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx,
		`UPDATE deck_lanes SET metres_free = metres_free - $1 WHERE sailing_id = $2 AND lane = $3`,
		req.LengthM, sailingID, lane); err != nil {
		log.Printf("update lane: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	var reservationID int64
	err = tx.QueryRowContext(ctx,
		`INSERT INTO deck_reservations (sailing_id, lane, vehicle_reg, length_m, phone)
		 VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		sailingID, lane, req.VehicleReg, req.LengthM, req.Phone).Scan(&reservationID)
	if err != nil {
		log.Printf("insert reservation: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("commit: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	// Text the driver their reference so they can show it at the check-in booth.
	body := url.Values{
		"to":   {req.Phone},
		"body": {fmt.Sprintf("%s: deck space confirmed for %s, ref %d", h.Operator, req.VehicleReg, reservationID)},
	}
	resp, err := http.Post(h.SMSURL, "application/x-www-form-urlencoded", strings.NewReader(body.Encode()))
	if err != nil {
		log.Printf("sms for reservation %d failed: %v", reservationID, err)
	} else {
		resp.Body.Close()
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(reserveResponse{ReservationID: reservationID, SailingID: sailingID, Lane: lane})
}
