package vetclinic

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"time"
)

// AppointmentHandler books consultation slots for a clinic's vets.
type AppointmentHandler struct {
	DB        *sql.DB
	SMSApiURL string
	SMSApiKey string
}

type bookRequest struct {
	ClinicID int64     `json:"clinic_id"`
	VetID    int64     `json:"vet_id"`
	PetID    int64     `json:"pet_id"`
	Start    time.Time `json:"start"`
	Phone    string    `json:"owner_phone"`
}

func (h *AppointmentHandler) Book(w http.ResponseWriter, r *http.Request) {
	var req bookRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}

	// make sure the vet is free in that slot
	var taken int
	err := h.DB.QueryRowContext(r.Context(),
		`SELECT COUNT(*) FROM appointments WHERE vet_id = $1 AND starts_at = $2 AND status <> 'cancelled'`,
		req.VetID, req.Start).Scan(&taken)
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if taken > 0 {
		http.Error(w, "slot already booked", http.StatusConflict)
		return
	}

	var apptID int64
	err = h.DB.QueryRowContext(r.Context(),
		`INSERT INTO appointments (clinic_id, vet_id, pet_id, starts_at, status)
		 VALUES ($1, $2, $3, $4, 'booked') RETURNING id`,
		req.ClinicID, req.VetID, req.PetID, req.Start).Scan(&apptID)
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}

	if err := h.sendConfirmation(req.Phone, req.Start); err != nil {
		log.Printf("sms confirmation failed for appt %d: %v", apptID, err)
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"id": apptID})
}

func (h *AppointmentHandler) sendConfirmation(phone string, at time.Time) error {
	q := url.Values{}
	q.Set("to", phone)
	q.Set("text", fmt.Sprintf("Your appointment is confirmed for %s", at.Format("Mon 2 Jan 15:04")))
	q.Set("key", h.SMSApiKey)

	resp, err := http.Get(h.SMSApiURL + "?" + q.Encode())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("sms gateway returned %d", resp.StatusCode)
	}
	return nil
}
