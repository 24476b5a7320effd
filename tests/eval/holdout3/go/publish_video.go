package videos

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
)

// Client for the hosted transcoding provider.
var transcoder = &http.Client{}

var transcodeAPI = os.Getenv("TRANSCODE_API_URL") // e.g. https://api.transcodr.io/v2

type Publisher struct {
	DB *sql.DB
}

type jobStatus struct {
	ID        string `json:"id"`
	State     string `json:"state"` // pending | processing | completed | error
	OutputURL string `json:"output_url"`
	Message   string `json:"message"`
}

// Publish handles POST /videos/{id}/publish: transcodes the uploaded master to
// HLS and flips the video to "published" once the renditions exist.
func (p *Publisher) Publish(w http.ResponseWriter, r *http.Request) {
	videoID := chi.URLParam(r, "id")
	ctx := r.Context()

	var sourceURL string
	if err := p.DB.QueryRowContext(ctx, `SELECT source_url FROM videos WHERE id = $1`, videoID).Scan(&sourceURL); err != nil {
		http.Error(w, "video not found", http.StatusNotFound)
		return
	}

	job, err := createJob(ctx, sourceURL)
	if err != nil {
		log.Printf("publish %s: create job: %v", videoID, err)
		http.Error(w, "transcoder unavailable", http.StatusBadGateway)
		return
	}

	// Wait for the provider to finish (usually 1-5 min for a 10 min clip).
	deadline := time.Now().Add(15 * time.Minute)
	for job.State != "completed" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Second)
		if job, err = getJob(ctx, job.ID); err != nil {
			http.Error(w, "transcoder error", http.StatusBadGateway)
			return
		}
		if job.State == "error" {
			http.Error(w, "transcode failed: "+job.Message, http.StatusUnprocessableEntity)
			return
		}
	}

	if _, err := p.DB.ExecContext(ctx,
		`UPDATE videos SET hls_url = $1, status = 'published', published_at = now() WHERE id = $2`,
		job.OutputURL, videoID); err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func createJob(ctx context.Context, src string) (*jobStatus, error) {
	body, _ := json.Marshal(map[string]any{"input": src, "preset": "hls-1080p"})

	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, transcodeAPI+"/jobs", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+os.Getenv("TRANSCODE_API_KEY"))
		req.Header.Set("Content-Type", "application/json")

		resp, err := transcoder.Do(req)
		if err == nil && resp.StatusCode == http.StatusCreated {
			defer resp.Body.Close()
			var js jobStatus
			return &js, json.NewDecoder(resp.Body).Decode(&js)
		}
		if err != nil {
			lastErr = err
		} else {
			resp.Body.Close()
			lastErr = fmt.Errorf("transcoder returned %d", resp.StatusCode)
		}
		time.Sleep(2 * time.Second)
	}
	return nil, lastErr
}

func getJob(ctx context.Context, id string) (*jobStatus, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, transcodeAPI+"/jobs/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+os.Getenv("TRANSCODE_API_KEY"))
	resp, err := transcoder.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var js jobStatus
	if err := json.NewDecoder(resp.Body).Decode(&js); err != nil {
		return nil, err
	}
	return &js, nil
}
