// Package bedboard serves the bed-assignment API used by ED triage and the ward clerks.
//
// Deployed as 3 replicas behind the hospital's internal ingress (deploy/bedboard.yaml).
package bedboard

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"
)

type Server struct {
	DB       *sql.DB
	PagerURL string
}

// wardLocks serialises assignments within a ward so two clerks can't grab the same bed.
var (
	wardLocksMu sync.Mutex
	wardLocks   = map[string]*sync.Mutex{}
)

func lockFor(ward string) *sync.Mutex {
	wardLocksMu.Lock()
	defer wardLocksMu.Unlock()
	if _, ok := wardLocks[ward]; !ok {
		wardLocks[ward] = &sync.Mutex{}
	}
	return wardLocks[ward]
}

func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Get("/wards/{ward}/beds", s.listBeds)
	r.Post("/wards/{ward}/beds/{bedID}/assign", s.assignBed)
	return r
}

type Bed struct {
	ID        int64  `json:"id"`
	Label     string `json:"label"`
	Status    string `json:"status"` // clean | occupied | dirty | blocked
	Isolation bool   `json:"isolation"`
}

func (s *Server) listBeds(w http.ResponseWriter, r *http.Request) {
	rows, err := s.DB.QueryContext(r.Context(),
		`SELECT id, label, status, isolation FROM beds WHERE ward = $1 ORDER BY label`, chi.URLParam(r, "ward"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	beds := []Bed{}
	for rows.Next() {
		var b Bed
		if err := rows.Scan(&b.ID, &b.Label, &b.Status, &b.Isolation); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		beds = append(beds, b)
	}
	json.NewEncoder(w).Encode(beds)
}

type assignReq struct {
	PatientMRN string `json:"patient_mrn"`
	Clerk      string `json:"clerk"`
}

func (s *Server) assignBed(w http.ResponseWriter, r *http.Request) {
	ward, bedID := chi.URLParam(r, "ward"), chi.URLParam(r, "bedID")
	var req assignReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.PatientMRN == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}

	mu := lockFor(ward)
	mu.Lock()
	defer mu.Unlock()

	var status string
	err := s.DB.QueryRowContext(r.Context(),
		`SELECT status FROM beds WHERE id = $1 AND ward = $2`, bedID, ward).Scan(&status)
	if err != nil {
		http.Error(w, "bed lookup failed", http.StatusNotFound)
		return
	}
	if status != "clean" {
		http.Error(w, "bed not available: "+status, http.StatusConflict)
		return
	}

	if _, err := s.DB.ExecContext(r.Context(),
		`UPDATE beds SET status = 'occupied', patient_mrn = $1, assigned_by = $2, assigned_at = now() WHERE id = $3`,
		req.PatientMRN, req.Clerk, bedID); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}

	go s.pageCharge(ward, bedID, req.PatientMRN)
	w.WriteHeader(http.StatusNoContent)
}

// pageCharge tells the charge nurse a bed was filled. Best effort.
func (s *Server) pageCharge(ward, bedID, mrn string) {
	body, _ := json.Marshal(map[string]string{"ward": ward, "bed": bedID, "mrn": mrn})
	resp, err := http.Post(s.PagerURL+"/v1/page", "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("pager: ward=%s bed=%s: %v", ward, bedID, err)
		return
	}
	resp.Body.Close()
}
