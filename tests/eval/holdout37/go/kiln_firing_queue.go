package kiln

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Firing requests for the pottery's shared kilns. Working out a firing
// schedule (load plan, ramp curve, cone targets) can take a couple of
// minutes, so the API only queues the request and a worker does the rest.

type API struct {
	DB *sql.DB
}

type firingRequest struct {
	KilnID   int64   `json:"kiln_id"`
	Cone     string  `json:"cone"`
	ShelfCm2 float64 `json:"shelf_cm2"`
}

// Enqueue serves POST /studios/{studio}/firings. Clients send an
// Idempotency-Key so a double-tap on "Book firing" queues one job, not two.
func (a *API) Enqueue(w http.ResponseWriter, r *http.Request) {
	studioID := r.PathValue("studio")
	key := r.Header.Get("Idempotency-Key")
	var req firingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || key == "" {
		http.Error(w, "body and Idempotency-Key are required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	var jobID int64
	err := a.DB.QueryRowContext(ctx, `
		INSERT INTO firing_jobs (studio_id, idempotency_key, kiln_id, cone, shelf_cm2, status)
		VALUES ($1, $2, $3, $4, $5, 'queued')
		ON CONFLICT (studio_id, idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
		RETURNING id`, studioID, key, req.KilnID, req.Cone, req.ShelfCm2).Scan(&jobID)
	if err != nil {
		slog.Error("enqueue firing", "studio", studioID, "err", err)
		http.Error(w, "could not queue firing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/studios/%s/firings/%d", studioID, jobID))
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(map[string]any{"job_id": jobID, "status": "queued"})
}

// Status serves GET /studios/{studio}/firings/{id}; the app polls it every few seconds.
func (a *API) Status(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var status string
	err := a.DB.QueryRowContext(ctx, `SELECT status FROM firing_jobs WHERE id = $1 AND studio_id = $2`,
		r.PathValue("id"), r.PathValue("studio")).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		slog.Error("firing status", "err", err)
		http.Error(w, "could not load status", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"status": status})
}

// Worker is started once from main with the process context; the same worker
// pool plans firings for every studio on the platform.
func Worker(ctx context.Context, db *sql.DB, plan func(context.Context, int64) error) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		for {
			id, err := claimNext(ctx, db)
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			if err != nil {
				slog.Error("claim firing job", "err", err)
				break
			}
			status := "done"
			if err := plan(ctx, id); err != nil {
				slog.Error("plan firing", "job", id, "err", err)
				status = "failed"
			}
			if _, err := db.ExecContext(ctx,
				`UPDATE firing_jobs SET status = $1, finished_at = now() WHERE id = $2`, status, id); err != nil {
				slog.Error("finish firing job", "job", id, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// claimNext takes the oldest queued job; SKIP LOCKED lets several worker
// processes pull from the same table without handing out a job twice.
func claimNext(ctx context.Context, db *sql.DB) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var id int64
	err := db.QueryRowContext(ctx, `
		UPDATE firing_jobs SET status = 'running', started_at = now()
		WHERE id = (
			SELECT id FROM firing_jobs
			WHERE status = 'queued'
			ORDER BY created_at
			FOR UPDATE SKIP LOCKED
			LIMIT 1)
		RETURNING id`).Scan(&id)
	return id, err
}
