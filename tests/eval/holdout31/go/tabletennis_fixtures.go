package league

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Village hall table-tennis league. Regenerating a division's season fixtures
// (round-robin constrained by hall bookings) takes a few minutes, so the endpoint
// queues a job and the committee's screen polls for the result.

type API struct {
	db        *sql.DB
	log       *slog.Logger
	scheduler FixtureScheduler // pure function over teams + hall slots
}

// RegenerateFixtures handles POST /leagues/{leagueID}/divisions/{divisionID}/fixtures:regenerate
func (a *API) RegenerateFixtures(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	leagueID := leagueFromSession(r)
	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey == "" {
		http.Error(w, "Idempotency-Key header required", http.StatusBadRequest)
		return
	}

	var jobID string
	err := a.db.QueryRowContext(ctx,
		`INSERT INTO fixture_jobs (league_id, division_id, idempotency_key, status)
		 VALUES ($1, $2, $3, 'queued')
		 ON CONFLICT (league_id, idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
		 RETURNING id`, leagueID, r.PathValue("divisionID"), idemKey).Scan(&jobID)
	if err != nil {
		a.log.Error("queue fixture job", "league", leagueID, "err", err)
		http.Error(w, "could not queue job", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Location", "/fixture-jobs/"+jobID)
	w.WriteHeader(http.StatusAccepted)
}

// JobStatus handles GET /fixture-jobs/{jobID}
func (a *API) JobStatus(w http.ResponseWriter, r *http.Request) {
	var status string
	var failure sql.NullString
	err := a.db.QueryRowContext(r.Context(),
		`SELECT status, failure FROM fixture_jobs WHERE id = $1 AND league_id = $2`,
		r.PathValue("jobID"), leagueFromSession(r)).Scan(&status, &failure)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		a.log.Error("job status", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"status": status, "failure": failure.String})
}

// RunWorker is started once from main. Jobs are claimed with SKIP LOCKED so several
// worker processes can run side by side; finished jobs are pruned after 30 days.
func (a *API) RunWorker(ctx context.Context) {
	poll := time.NewTicker(5 * time.Second)
	prune := time.NewTicker(24 * time.Hour)
	defer poll.Stop()
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-prune.C:
			if _, err := a.db.ExecContext(ctx,
				`DELETE FROM fixture_jobs WHERE finished_at < now() - interval '30 days'`); err != nil {
				a.log.Error("prune fixture jobs", "err", err)
			}
		case <-poll.C:
			a.claimAndRun(ctx)
		}
	}
}

func (a *API) claimAndRun(ctx context.Context) {
	var jobID, leagueID, divisionID int64
	err := a.db.QueryRowContext(ctx,
		`UPDATE fixture_jobs SET status = 'running', started_at = now()
		  WHERE id = (SELECT id FROM fixture_jobs WHERE status = 'queued'
		               ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
		  RETURNING id, league_id, division_id`).Scan(&jobID, &leagueID, &divisionID)
	if errors.Is(err, sql.ErrNoRows) {
		return
	}
	if err != nil {
		a.log.Error("claim fixture job", "err", err)
		return
	}

	jobCtx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	status, failure := "done", ""
	if err := a.scheduler.Regenerate(jobCtx, a.db, leagueID, divisionID); err != nil {
		a.log.Error("regenerate fixtures", "job", jobID, "err", err)
		status, failure = "failed", err.Error()
	}
	if _, err := a.db.ExecContext(ctx,
		`UPDATE fixture_jobs SET status = $1, failure = NULLIF($2, ''), finished_at = now()
		  WHERE id = $3 AND league_id = $4`, status, failure, jobID, leagueID); err != nil {
		a.log.Error("finish fixture job", "job", jobID, "err", err)
	}
}
