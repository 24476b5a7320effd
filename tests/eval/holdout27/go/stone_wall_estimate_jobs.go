package wallrepair

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
)

// Repair estimates for dry-stone wall jobs are built from drone survey
// photos and can take several minutes for a long boundary wall, so the API
// queues a job and returns 202; clients poll the job URL.

type EstimateAPI struct {
	DB  *sqlx.DB
	Log *slog.Logger
}

type estimateRequest struct {
	WallID   int64  `json:"wall_id"`
	SurveyID string `json:"survey_id"`
}

type estimateJob struct {
	ID        int64           `db:"id" json:"id"`
	Status    string          `db:"status" json:"status"`
	Result    json.RawMessage `db:"result" json:"result,omitempty"`
	Error     sql.NullString  `db:"error" json:"-"`
	CreatedAt time.Time       `db:"created_at" json:"created_at"`
}

func (a *EstimateAPI) Routes(r chi.Router) {
	r.Post("/estimates", a.create)
	r.Get("/estimates/{jobID}", a.get)
}

func (a *EstimateAPI) create(w http.ResponseWriter, r *http.Request) {
	contractorID := r.Context().Value(contractorKey{}).(int64)
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		http.Error(w, "Idempotency-Key header required", http.StatusBadRequest)
		return
	}
	var req estimateRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}

	// A retried POST with the same key returns the job created the first time.
	var jobID int64
	err := a.DB.QueryRowxContext(r.Context(), `
		WITH ins AS (
			INSERT INTO estimate_jobs (contractor_id, idempotency_key, wall_id, survey_id, status)
			VALUES ($1, $2, $3, $4, 'queued')
			ON CONFLICT (contractor_id, idempotency_key) DO NOTHING
			RETURNING id
		)
		SELECT id FROM ins
		UNION ALL
		SELECT id FROM estimate_jobs WHERE contractor_id = $1 AND idempotency_key = $2
		LIMIT 1`, contractorID, key, req.WallID, req.SurveyID).Scan(&jobID)
	if err != nil {
		a.Log.Error("queue estimate", "contractor", contractorID, "err", err)
		http.Error(w, "could not queue estimate", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Location", "/estimates/"+strconv.FormatInt(jobID, 10))
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]any{"job_id": jobID, "status": "queued"})
}

func (a *EstimateAPI) get(w http.ResponseWriter, r *http.Request) {
	contractorID := r.Context().Value(contractorKey{}).(int64)
	var job estimateJob
	err := a.DB.GetContext(r.Context(), &job, `
		SELECT id, status, result, error, created_at
		FROM estimate_jobs
		WHERE contractor_id = $1 AND id = $2`, contractorID, chi.URLParam(r, "jobID"))
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "job not found", http.StatusNotFound)
		return
	} else if err != nil {
		a.Log.Error("load estimate job", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(job)
}

// ClaimNext is called by the estimate worker process (cmd/estimate-worker),
// which runs a fixed number of workers started once at boot.
func ClaimNext(ctx context.Context, db *sqlx.DB) (int64, error) {
	var id int64
	err := db.QueryRowxContext(ctx, `
		UPDATE estimate_jobs SET status = 'running', started_at = now()
		WHERE id = (
			SELECT id FROM estimate_jobs
			WHERE status = 'queued'
			ORDER BY created_at
			FOR UPDATE SKIP LOCKED
			LIMIT 1
		)
		RETURNING id`).Scan(&id)
	return id, err
}

type contractorKey struct{}
