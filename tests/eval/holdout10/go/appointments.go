package appointments

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"gorm.io/gorm"

	"example.com/dentalcloud/internal/auth"
)

// Appointment belongs to one dental practice (tenant).
type Appointment struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	PracticeID uint      `gorm:"index;not null" json:"-"`
	PatientID  uint      `gorm:"index;not null" json:"patient_id"`
	DentistID  uint      `json:"dentist_id"`
	StartsAt   time.Time `json:"starts_at"`
	Minutes    int       `json:"minutes"`
	Status     string    `json:"status"`
}

type Handler struct {
	DB *gorm.DB
}

func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle("GET /appointments", auth.Required(http.HandlerFunc(h.list)))
	mux.Handle("GET /appointments/{id}", auth.Required(http.HandlerFunc(h.get)))
	mux.Handle("POST /appointments", auth.Required(http.HandlerFunc(h.create)))
	mux.Handle("POST /appointments/{id}/cancel", auth.Required(http.HandlerFunc(h.cancel)))
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	practiceID := auth.PracticeID(r.Context())
	day, err := time.Parse("2006-01-02", r.URL.Query().Get("day"))
	if err != nil {
		http.Error(w, "day=YYYY-MM-DD required", http.StatusBadRequest)
		return
	}
	var appts []Appointment
	err = h.DB.WithContext(r.Context()).
		Where("practice_id = ? AND starts_at >= ? AND starts_at < ?", practiceID, day, day.AddDate(0, 0, 1)).
		Order("starts_at").
		Limit(200).
		Find(&appts).Error
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, appts)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	practiceID := auth.PracticeID(r.Context())
	var a Appointment
	err := h.DB.WithContext(r.Context()).
		Where("id = ? AND practice_id = ?", r.PathValue("id"), practiceID).
		First(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	var a Appointment
	if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	a.ID = 0
	a.PracticeID = auth.PracticeID(r.Context())
	a.Status = "booked"
	if err := h.DB.WithContext(r.Context()).Create(&a).Error; err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// cancel marks the appointment cancelled; the reminder worker skips cancelled rows.
func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	res := h.DB.WithContext(r.Context()).Model(&Appointment{}).
		Where("id = ?", id).
		Update("status", "cancelled")
	if res.Error != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if res.RowsAffected == 0 {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
