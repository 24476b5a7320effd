package labresults

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// API exposes lab results to clinic staff. Every clinic is a tenant; the
// clinic id comes from the staff member's session (see auth.ClinicFromContext).
type API struct {
	DB      *sqlx.DB
	Storage Presigner // S3 presigner for the PDF reports
}

type Presigner interface {
	PresignGet(key string, ttl time.Duration) (string, error)
}

type Result struct {
	ID         int64      `db:"id" json:"id"`
	PatientID  int64      `db:"patient_id" json:"patient_id"`
	TestCode   string     `db:"test_code" json:"test_code"`
	Status     string     `db:"status" json:"status"`
	Flag       *string    `db:"abnormal_flag" json:"abnormal_flag,omitempty"`
	ReportedAt *time.Time `db:"reported_at" json:"reported_at,omitempty"`
}

func (a *API) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /patients/{patientID}/results", a.listForPatient)
	mux.HandleFunc("GET /results/{id}", a.getResult)
	mux.HandleFunc("GET /results/{id}/report", a.reportPDF)
	mux.HandleFunc("POST /results/{id}/acknowledge", a.acknowledge)
}

func (a *API) listForPatient(w http.ResponseWriter, r *http.Request) {
	clinicID := ClinicFromContext(r.Context())
	patientID, _ := strconv.ParseInt(r.PathValue("patientID"), 10, 64)
	limit := 50
	if v, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && v > 0 && v <= 200 {
		limit = v
	}
	before := time.Now()
	if v, err := time.Parse(time.RFC3339, r.URL.Query().Get("before")); err == nil {
		before = v
	}
	var out []Result
	err := a.DB.SelectContext(r.Context(), &out,
		`SELECT id, patient_id, test_code, status, abnormal_flag, reported_at
		   FROM lab_results
		  WHERE clinic_id = $1 AND patient_id = $2 AND collected_at < $3
		  ORDER BY collected_at DESC
		  LIMIT $4`, clinicID, patientID, before, limit)
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	writeJSON(w, out)
}

func (a *API) getResult(w http.ResponseWriter, r *http.Request) {
	clinicID := ClinicFromContext(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var res Result
	err := a.DB.GetContext(r.Context(), &res,
		`SELECT id, patient_id, test_code, status, abnormal_flag, reported_at
		   FROM lab_results WHERE clinic_id = $1 AND id = $2`, clinicID, id)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	writeJSON(w, res)
}

// reportPDF redirects to a short-lived presigned URL for the signed PDF report.
func (a *API) reportPDF(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var key string
	err := a.DB.GetContext(r.Context(), &key, `SELECT report_pdf_key FROM lab_results WHERE id = $1 AND status = 'final'`, id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if url, err := a.Storage.PresignGet(key, 5*time.Minute); err == nil {
		http.Redirect(w, r, url, http.StatusFound)
		return
	}
	http.Error(w, "could not sign url", http.StatusInternalServerError)
}

func (a *API) acknowledge(w http.ResponseWriter, r *http.Request) {
	clinicID := ClinicFromContext(r.Context())
	staffID := StaffFromContext(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	res, err := a.DB.ExecContext(r.Context(),
		`UPDATE lab_results SET acknowledged_by = $1, acknowledged_at = now()
		  WHERE clinic_id = $2 AND id = $3 AND acknowledged_at IS NULL`, staffID, clinicID, id)
	if err != nil {
		http.Error(w, "update failed", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "not found or already acknowledged", http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
