package main

// Model-railway club site: members design layouts (track plans) in the browser
// and can export a printable PDF pack. fly.toml: min_machines_running = 2,
// one region, requests balanced across both machines.

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type exportJob struct {
	ID       string    `json:"id"`
	LayoutID string    `json:"layout_id"`
	Status   string    `json:"status"` // queued, rendering, done, failed
	URL      string    `json:"url,omitempty"`
	Started  time.Time `json:"started"`
}

var (
	jobsMu sync.Mutex
	jobs   = map[string]*exportJob{}
)

func newID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// POST /layouts/{id}/export — rendering a big layout takes a minute or two,
// so we answer 202 straight away and let the browser poll.
func startExport(w http.ResponseWriter, r *http.Request) {
	layoutID := r.PathValue("id")

	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Printf("db: %v", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	var plan []byte
	err = db.QueryRowContext(r.Context(),
		`SELECT track_plan FROM layouts WHERE id = $1 AND owner_id = $2`,
		layoutID, memberID(r)).Scan(&plan)
	if err == sql.ErrNoRows {
		http.NotFound(w, r)
		return
	} else if err != nil {
		log.Printf("load layout %s: %v", layoutID, err)
		http.Error(w, "could not load layout", http.StatusInternalServerError)
		return
	}

	job := &exportJob{ID: newID(), LayoutID: layoutID, Status: "queued", Started: time.Now()}
	jobsMu.Lock()
	jobs[job.ID] = job
	jobsMu.Unlock()

	go func() {
		setStatus(job.ID, "rendering", "")
		url, err := renderPDFPack(plan) // uploads to object storage, returns a signed URL
		if err != nil {
			log.Printf("export %s failed: %v", job.ID, err)
			setStatus(job.ID, "failed", "")
			return
		}
		setStatus(job.ID, "done", url)
	}()

	w.Header().Set("Location", "/exports/"+job.ID)
	w.WriteHeader(http.StatusAccepted)
	writeJSON(w, job)
}

// GET /exports/{job}
func exportStatus(w http.ResponseWriter, r *http.Request) {
	jobsMu.Lock()
	job, ok := jobs[r.PathValue("job")]
	var snapshot exportJob
	if ok {
		snapshot = *job
	}
	jobsMu.Unlock()

	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, snapshot)
}

func setStatus(id, status, url string) {
	jobsMu.Lock()
	defer jobsMu.Unlock()
	if j, ok := jobs[id]; ok {
		j.Status, j.URL = status, url
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("encode: %v", err)
	}
}
