// Package dispatch is the driver/passenger API for the long-term lot shuttles
// (lots P3, P5, P7 -> terminals A-C). Runs as the `shuttle-api` Deployment,
// replicas: 3, behind the internal ALB.
package dispatch

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
)

type Run struct {
	ID        string    `json:"id"`
	ShuttleID string    `json:"shuttle_id"`
	Lot       string    `json:"lot"`
	Terminal  string    `json:"terminal"`
	Status    string    `json:"status"` // boarding | en_route | arrived
	UpdatedAt time.Time `json:"updated_at"`
}

// activeRuns lets driver tablets and the passenger app poll the current run
// without hitting Postgres every 2 seconds.
var activeRuns sync.Map // run id -> *Run

func Routes() http.Handler {
	r := chi.NewRouter()
	r.Post("/runs", startRun)
	r.Get("/runs/{runID}", getRun)
	r.Post("/runs/{runID}/board", boardPassengers)
	r.Post("/runs/{runID}/status", updateStatus)
	return r
}

func db() (*sql.DB, error) {
	return sql.Open("pgx", os.Getenv("DATABASE_URL"))
}

func startRun(w http.ResponseWriter, r *http.Request) {
	var run Run
	if err := json.NewDecoder(r.Body).Decode(&run); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	conn, err := db()
	if err != nil {
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer conn.Close()
	err = conn.QueryRowContext(r.Context(),
		`INSERT INTO shuttle_runs (shuttle_id, lot, terminal, status, boarded_count)
		 VALUES ($1, $2, $3, 'boarding', 0) RETURNING id`,
		run.ShuttleID, run.Lot, run.Terminal).Scan(&run.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	run.Status, run.UpdatedAt = "boarding", time.Now()
	activeRuns.Store(run.ID, &run)
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(run)
}

func getRun(w http.ResponseWriter, r *http.Request) {
	if v, ok := activeRuns.Load(chi.URLParam(r, "runID")); ok {
		json.NewEncoder(w).Encode(v)
		return
	}
	http.Error(w, "run not active", http.StatusNotFound)
}

// boardPassengers is called by the driver tablet each time a party gets on.
func boardPassengers(w http.ResponseWriter, r *http.Request) {
	runID := chi.URLParam(r, "runID")
	var body struct{ Party int `json:"party"` }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Party <= 0 {
		http.Error(w, "bad party size", http.StatusBadRequest)
		return
	}
	conn, err := db()
	if err != nil {
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer conn.Close()

	var boarded int
	if err := conn.QueryRowContext(r.Context(), `SELECT boarded_count FROM shuttle_runs WHERE id = $1`, runID).Scan(&boarded); err != nil {
		http.Error(w, "run not found", http.StatusNotFound)
		return
	}
	boarded += body.Party
	if _, err := conn.ExecContext(r.Context(), `UPDATE shuttle_runs SET boarded_count = $1 WHERE id = $2`, boarded, runID); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]int{"boarded": boarded})
}

// POST /runs/{runID}/status?s=en_route
func updateStatus(w http.ResponseWriter, r *http.Request) {
	runID, status := chi.URLParam(r, "runID"), r.URL.Query().Get("s")
	v, ok := activeRuns.Load(runID)
	if !ok {
		http.NotFound(w, r)
		return
	}
	run := v.(*Run)
	run.Status, run.UpdatedAt = status, time.Now()
	if status == "arrived" {
		activeRuns.Delete(runID)
	}
	w.WriteHeader(http.StatusNoContent)
}
