package appointments

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/medislot/api/internal/auth"
)

type Appointment struct {
	ID             int64     `json:"id"`
	PractitionerID int64     `json:"practitioner_id"`
	PatientID      int64     `json:"patient_id"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	Status         string    `json:"status"`
}

type API struct{ DB *sql.DB }

func (a *API) Routes() chi.Router {
	r := chi.NewRouter()
	r.Use(auth.RequireClinicStaff)
	r.Get("/", a.list)
	r.Post("/", a.book)
	r.Post("/{id}/cancel", a.cancel)
	return r
}

// list returns one day of a practitioner's calendar, 50 at a time.
func (a *API) list(w http.ResponseWriter, r *http.Request) {
	clinicID := auth.ClinicID(r.Context())
	practitioner := r.URL.Query().Get("practitioner_id")
	day, err := time.Parse("2006-01-02", r.URL.Query().Get("day"))
	if err != nil {
		http.Error(w, "day must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after_id"), 10, 64)

	rows, err := a.DB.QueryContext(r.Context(), `
		SELECT id, practitioner_id, patient_id, starts_at, ends_at, status
		  FROM appointments
		 WHERE clinic_id = $1 AND practitioner_id = $2
		   AND starts_at >= $3 AND starts_at < $3 + interval '1 day'
		   AND id > $4
		 ORDER BY id
		 LIMIT 50`, clinicID, practitioner, day, after)
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	out := []Appointment{}
	for rows.Next() {
		var ap Appointment
		if err := rows.Scan(&ap.ID, &ap.PractitionerID, &ap.PatientID, &ap.StartsAt, &ap.EndsAt, &ap.Status); err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		out = append(out, ap)
	}
	json.NewEncoder(w).Encode(out)
}

// book relies on the exclusion constraint appointments_no_overlap
// (EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, ends_at) WITH &&)).
func (a *API) book(w http.ResponseWriter, r *http.Request) {
	clinicID := auth.ClinicID(r.Context())
	var in Appointment
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	err := a.DB.QueryRowContext(r.Context(), `
		INSERT INTO appointments (clinic_id, practitioner_id, patient_id, starts_at, ends_at, status)
		VALUES ($1, $2, $3, $4, $5, 'booked')
		RETURNING id`, clinicID, in.PractitionerID, in.PatientID, in.StartsAt, in.EndsAt).Scan(&in.ID)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23P01" {
		http.Error(w, "slot no longer available", http.StatusConflict)
		return
	} else if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(in)
}

func (a *API) cancel(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	res, err := a.DB.ExecContext(r.Context(),
		`UPDATE appointments SET status = 'cancelled', cancelled_at = now() WHERE id = $1 AND status = 'booked'`, id)
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "not found or already cancelled", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
