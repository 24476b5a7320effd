// Hedge-laying competition results API.
// Runs as 3 pods (k8s deployment "hedgelaying-api"); results are public and several
// thousand spectators refresh the leaderboard during the afternoon judging.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

type Server struct {
	db    DB // *sql.DB wrapper with QueryJSON helpers
	rdb   *redis.Client
	store ObjectStore
}

type exportJob struct {
	ID      string    `json:"id"`
	CompID  string    `json:"competition_id"`
	Status  string    `json:"status"` // running, done, failed
	FileURL string    `json:"file_url,omitempty"`
	Started time.Time `json:"started"`
}

var (
	jobsMu     sync.Mutex
	exportJobs = map[string]*exportJob{}
)

const leaderboardSQL = `
SELECT e.id, e.competitor, e.style, e.class,
       sum(j.points)                     AS total,
       avg(j.points) FILTER (WHERE j.criterion = 'stake_and_binder') AS binding,
       rank() OVER (PARTITION BY e.class ORDER BY sum(j.points) DESC) AS class_rank
  FROM entries e
  JOIN judge_scores j ON j.entry_id = e.id
 WHERE e.competition_id = $1
 GROUP BY e.id, e.competitor, e.style, e.class
 ORDER BY total DESC
 LIMIT 200`

func (s *Server) leaderboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	compID := r.PathValue("compID")
	key := "hedgelaying:leaderboard:" + compID

	if cached, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(cached)
		return
	}

	payload, err := s.db.QueryJSON(ctx, leaderboardSQL, compID)
	if err != nil {
		log.Printf("leaderboard %s: %v", compID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := s.rdb.Set(ctx, key, payload, 30*time.Second).Err(); err != nil {
		log.Printf("cache leaderboard %s: %v", compID, err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(payload)
}

// startExport handles POST /competitions/{compID}/exports and returns 202 with a job id.
func (s *Server) startExport(w http.ResponseWriter, r *http.Request) {
	job := &exportJob{ID: uuid.NewString(), CompID: r.PathValue("compID"), Status: "running", Started: time.Now()}
	jobsMu.Lock()
	exportJobs[job.ID] = job
	jobsMu.Unlock()

	go s.runExport(context.WithoutCancel(r.Context()), job)

	w.Header().Set("Location", "/exports/"+job.ID)
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(job)
}

func (s *Server) runExport(ctx context.Context, job *exportJob) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	url, err := s.store.PutCSV(ctx, "exports/"+job.ID+".csv", leaderboardSQL, job.CompID)
	jobsMu.Lock()
	defer jobsMu.Unlock()
	if err != nil {
		log.Printf("export %s failed: %v", job.ID, err)
		job.Status = "failed"
		return
	}
	job.Status, job.FileURL = "done", url
}

// exportStatus handles GET /exports/{jobID}; the results secretary polls it.
func (s *Server) exportStatus(w http.ResponseWriter, r *http.Request) {
	jobsMu.Lock()
	job, ok := exportJobs[r.PathValue("jobID")]
	var snapshot exportJob
	if ok {
		snapshot = *job
		if job.Status != "running" {
			delete(exportJobs, job.ID)
		}
	}
	jobsMu.Unlock()
	if !ok {
		http.Error(w, "unknown export", http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(snapshot)
}
