package bphome

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The platform is shared by several GP clinics; every request carries the
// clinic from the clinician's login (see middleware.ClinicFromToken).

type Reading struct {
	ID        int64     `db:"id" json:"id"`
	PatientID int64     `db:"patient_id" json:"patient_id"`
	Systolic  int       `db:"systolic" json:"systolic"`
	Diastolic int       `db:"diastolic" json:"diastolic"`
	Pulse     int       `db:"pulse" json:"pulse"`
	TakenAt   time.Time `db:"taken_at" json:"taken_at"`
}

type ReadingsAPI struct {
	db *sqlx.DB
}

func clinicID(r *http.Request) int64 {
	id, _ := r.Context().Value(ctxClinicKey{}).(int64)
	return id
}

type ctxClinicKey struct{}

// GET /patients/{patientID}/readings — feeds the trend chart on the
// patient page. Cuffs upload a reading every morning and evening.
func (a *ReadingsAPI) PatientReadings(w http.ResponseWriter, r *http.Request) {
	patientID, err := strconv.ParseInt(chi.URLParam(r, "patientID"), 10, 64)
	if err != nil {
		http.Error(w, "bad patient id", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	var readings []Reading
	err = a.db.SelectContext(ctx, &readings, `
		SELECT id, patient_id, systolic, diastolic, pulse, taken_at
		  FROM bp_readings
		 WHERE patient_id = $1 AND clinic_id = $2
		 ORDER BY taken_at DESC`, patientID, clinicID(r))
	if err != nil {
		log.Printf("readings patient=%d: %v", patientID, err)
		http.Error(w, "could not load readings", http.StatusInternalServerError)
		return
	}
	writeJSON(w, readings)
}

// GET /alerts/hypertensive — unreviewed crisis-range readings for the
// duty clinician's queue.
func (a *ReadingsAPI) CrisisQueue(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	var readings []Reading
	err := a.db.SelectContext(ctx, &readings, `
		SELECT id, patient_id, systolic, diastolic, pulse, taken_at
		  FROM bp_readings
		 WHERE (systolic >= 180 OR diastolic >= 120) AND reviewed_at IS NULL
		 ORDER BY taken_at
		 LIMIT 100`)
	if err != nil {
		log.Printf("crisis queue: %v", err)
		http.Error(w, "could not load queue", http.StatusInternalServerError)
		return
	}

	ids := make([]int64, 0, len(readings))
	for _, rd := range readings {
		ids = append(ids, rd.ID)
	}
	a.markSeen(ctx, ids, clinicID(r))
	writeJSON(w, readings)
}

// markSeen stamps the readings as shown so the queue badge count drops.
func (a *ReadingsAPI) markSeen(ctx context.Context, ids []int64, clinic int64) {
	const q = `UPDATE bp_readings SET seen_at = now() WHERE id = ANY($1) AND clinic_id = $2 AND seen_at IS NULL`
	if _, err := a.db.ExecContext(ctx, q, pq.Array(ids), clinic); err != nil {
		return
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("encode response: %v", err)
	}
}
