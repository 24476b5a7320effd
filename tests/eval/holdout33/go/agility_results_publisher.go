package results

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"
)

// Publisher runs after each dog agility trial closes and sends the graded
// results to the national agility league so qualifying points are credited.

type Publisher struct {
	DB        *sql.DB
	LeagueURL string
	APIKey    string
	Client    *http.Client
}

func NewPublisher(db *sql.DB, leagueURL, apiKey string) *Publisher {
	return &Publisher{
		DB:        db,
		LeagueURL: leagueURL,
		APIKey:    apiKey,
		Client:    &http.Client{Timeout: 15 * time.Second},
	}
}

type runResult struct {
	EntryID    int64   `json:"entry_id"`
	HandlerNo  string  `json:"handler_no"`
	DogName    string  `json:"dog_name"`
	Class      string  `json:"class"`
	Faults     int     `json:"faults"`
	TimeSecs   float64 `json:"time_secs"`
	Eliminated bool    `json:"eliminated"`
}

func (p *Publisher) PublishTrial(ctx context.Context, trialID int64) error {
	rows, err := p.DB.QueryContext(ctx,
		`SELECT id, handler_no, dog_name, class FROM trial_entries WHERE trial_id = $1 AND withdrawn = false`,
		trialID)
	if err != nil {
		return fmt.Errorf("load entries: %w", err)
	}
	var results []runResult
	for rows.Next() {
		var rr runResult
		if err := rows.Scan(&rr.EntryID, &rr.HandlerNo, &rr.DogName, &rr.Class); err != nil {
			rows.Close()
			return err
		}
		results = append(results, rr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	for i := range results {
		err := p.DB.QueryRowContext(ctx,
			`SELECT faults, time_secs, eliminated FROM run_scores WHERE entry_id = $1 ORDER BY recorded_at DESC LIMIT 1`,
			results[i].EntryID).Scan(&results[i].Faults, &results[i].TimeSecs, &results[i].Eliminated)
		if err == sql.ErrNoRows {
			results[i].Eliminated = true // did not run
			continue
		}
		if err != nil {
			return fmt.Errorf("score for entry %d: %w", results[i].EntryID, err)
		}
	}

	payload, err := json.Marshal(map[string]any{"trial_id": trialID, "results": results})
	if err != nil {
		return err
	}
	return p.send(ctx, payload)
}

// send posts the results; the league API is flaky on trial weekends.
func (p *Publisher) send(ctx context.Context, payload []byte) error {
	var lastErr error
	for attempt := 1; attempt <= 6; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.LeagueURL+"/v2/results", bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+p.APIKey)
		req.Header.Set("Content-Type", "application/json")

		resp, err := p.Client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			lastErr = fmt.Errorf("league api: %s", resp.Status)
		} else {
			lastErr = err
		}
		log.Printf("publish attempt %d failed: %v", attempt, lastErr)
		time.Sleep(2 * time.Second)
	}
	return fmt.Errorf("giving up after retries: %w", lastErr)
}
