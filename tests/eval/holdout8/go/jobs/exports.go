package jobs

// Applicant CSV exports for employers.
//
// POST /employers/me/exports creates an export_jobs row and returns 202; the
// status is polled from the same table (GET .../exports/{id}, chi router). The
// worker below (one per pod) claims rows with SKIP LOCKED, streams
// applications page by page to S3 and marks the job done.

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

type Uploader interface {
	Upload(ctx context.Context, key string, r io.Reader) (url string, err error)
}

type ExportService struct {
	DB       *sql.DB
	Uploader Uploader
}

// createExport handles POST /employers/me/exports.
func (s *ExportService) createExport(w http.ResponseWriter, r *http.Request) {
	employerID := EmployerFromContext(r.Context())
	var id int64
	err := s.DB.QueryRowContext(r.Context(),
		`INSERT INTO export_jobs (employer_id, kind, status) VALUES ($1, 'applications_csv', 'queued') RETURNING id`,
		employerID).Scan(&id)
	if err != nil {
		slog.Error("create export", "employer", employerID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Location", "/employers/me/exports/"+strconv.FormatInt(id, 10))
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, `{"id":%d,"status":"queued"}`, id)
}

// RunWorker polls for queued exports until ctx is cancelled.
func (s *ExportService) RunWorker(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var jobID, employerID int64
		err := s.DB.QueryRowContext(ctx, `
			UPDATE export_jobs SET status = 'running', started_at = now()
			 WHERE id = (SELECT id FROM export_jobs WHERE status = 'queued'
			              ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
			RETURNING id, employer_id`).Scan(&jobID, &employerID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			slog.Error("claim export job", "err", err)
			continue
		}
		if err := s.runExport(ctx, jobID, employerID); err != nil {
			slog.Error("export failed", "job", jobID, "err", err)
			s.DB.ExecContext(ctx, `UPDATE export_jobs SET status = 'failed', error = $2 WHERE id = $1`, jobID, err.Error())
		}
	}
}

func (s *ExportService) runExport(ctx context.Context, jobID, employerID int64) error {
	pr, pw := io.Pipe()
	go func() {
		cw := csv.NewWriter(pw)
		cw.Write([]string{"application_id", "job_title", "candidate", "email", "applied_at"})
		var lastID int64
		for {
			rows, err := s.DB.QueryContext(ctx, `
				SELECT a.id, j.title, a.candidate_name, a.candidate_email, a.created_at
				  FROM applications a JOIN job_posts j ON j.id = a.job_post_id
				 WHERE j.employer_id = $1 AND a.id > $2
				 ORDER BY a.id LIMIT 1000`, employerID, lastID)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			n := 0
			for rows.Next() {
				var id int64
				var title, name, email string
				var at time.Time
				if err := rows.Scan(&id, &title, &name, &email, &at); err != nil {
					rows.Close()
					pw.CloseWithError(err)
					return
				}
				cw.Write([]string{strconv.FormatInt(id, 10), title, name, email, at.Format(time.RFC3339)})
				lastID, n = id, n+1
			}
			rows.Close()
			if n < 1000 {
				break
			}
		}
		cw.Flush()
		pw.CloseWithError(cw.Error())
	}()
	url, err := s.Uploader.Upload(ctx, fmt.Sprintf("exports/%d/%d.csv", employerID, jobID), pr)
	if err != nil {
		return fmt.Errorf("upload export %d: %w", jobID, err)
	}
	_, err = s.DB.ExecContext(ctx,
		`UPDATE export_jobs SET status = 'done', download_url = $2, finished_at = now() WHERE id = $1`, jobID, url)
	return err
}
