package certs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"
	_ "github.com/lib/pq"
)

// Instructor certificates (Paddlesport Instructor, Sea Kayak Leader, ...) are
// checked against the national governing body's register before an instructor
// can be put on the rota. The service runs on 2 pods in the club-tools namespace.

var registryClient = &http.Client{Timeout: 8 * time.Second}

type verifyStatus struct {
	State    string    `json:"state"` // pending, verified, rejected, error
	Detail   string    `json:"detail,omitempty"`
	Finished time.Time `json:"finished,omitempty"`
}

var (
	verifyMu   sync.RWMutex
	verifyJobs = map[string]*verifyStatus{}
)

// POST /instructors/{id}/verify  -> 202 with a job id to poll.
func StartVerify(w http.ResponseWriter, r *http.Request) {
	instructorID := r.PathValue("id")
	jobID := uuid.NewString()

	verifyMu.Lock()
	verifyJobs[jobID] = &verifyStatus{State: "pending"}
	verifyMu.Unlock()

	go func() {
		st := runVerify(context.Background(), instructorID)
		verifyMu.Lock()
		verifyJobs[jobID] = st
		verifyMu.Unlock()
	}()

	w.Header().Set("Location", "/verify-jobs/"+jobID)
	w.WriteHeader(http.StatusAccepted)
}

// GET /verify-jobs/{job}
func VerifyStatus(w http.ResponseWriter, r *http.Request) {
	verifyMu.RLock()
	st, ok := verifyJobs[r.PathValue("job")]
	verifyMu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(st); err != nil {
		log.Printf("verify status: %v", err)
	}
}

// GET /instructors/{id}/certificates
func ListCertificates(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", os.Getenv("CERTS_DSN"))
	if err != nil {
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	rows, err := db.QueryContext(r.Context(),
		`SELECT award, cert_number, expires_on FROM instructor_certs WHERE instructor_id = $1 ORDER BY expires_on DESC LIMIT 20`,
		r.PathValue("id"))
	if err != nil {
		log.Printf("list certs: %v", err)
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	type cert struct {
		Award     string    `json:"award"`
		Number    string    `json:"number"`
		ExpiresOn time.Time `json:"expires_on"`
	}
	var out []cert
	for rows.Next() {
		var c cert
		if err := rows.Scan(&c.Award, &c.Number, &c.ExpiresOn); err != nil {
			http.Error(w, "scan failed", http.StatusInternalServerError)
			return
		}
		out = append(out, c)
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		log.Printf("list certs encode: %v", err)
	}
}

func runVerify(ctx context.Context, instructorID string) *verifyStatus {
	url := fmt.Sprintf("%s/v2/register/instructors/%s", os.Getenv("REGISTRY_URL"), instructorID)
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return &verifyStatus{State: "error", Detail: err.Error(), Finished: time.Now()}
		}
		resp, err := registryClient.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			resp.Body.Close()
			return &verifyStatus{State: "verified", Finished: time.Now()}
		}
		if err == nil {
			resp.Body.Close()
			lastErr = fmt.Errorf("registry returned %s", resp.Status)
		} else {
			lastErr = err
		}
		time.Sleep(250 * time.Millisecond)
	}
	return &verifyStatus{State: "error", Detail: lastErr.Error(), Finished: time.Now()}
}
