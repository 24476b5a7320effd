package repaircafe

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

// RepairOutcome is logged by a fixer from their phone once an item is done.
type RepairOutcome struct {
	ItemID   int64   `json:"item_id"`
	Outcome  string  `json:"outcome"` // fixed | partly | not_fixed | advice
	WeightKg float64 `json:"weight_kg"`
}

type Service struct {
	DB         *sql.DB
	HTTP       *http.Client // built with Timeout: 10 * time.Second in main
	NetworkURL string       // regional repair network's open data endpoint
}

// LogOutcome records the outcome and keeps the event's headline numbers
// (items fixed, kg kept out of landfill) current for the screen at the door.
func (s *Service) LogOutcome(ctx context.Context, cafeID, eventID int64, o RepairOutcome) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx,
		`UPDATE repair_items SET outcome = $1, weight_kg = $2, closed_at = now()
		  WHERE id = $3 AND event_id = $4 AND cafe_id = $5`,
		o.Outcome, o.WeightKg, o.ItemID, eventID, cafeID); err != nil {
		return fmt.Errorf("close item: %w", err)
	}

	var fixed int
	var savedKg float64
	if err := tx.QueryRowContext(ctx,
		`SELECT items_fixed, kg_saved FROM cafe_events WHERE id = $1 AND cafe_id = $2`,
		eventID, cafeID).Scan(&fixed, &savedKg); err != nil {
		return fmt.Errorf("load event totals: %w", err)
	}
	if o.Outcome == "fixed" || o.Outcome == "partly" {
		fixed++
		savedKg += o.WeightKg
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE cafe_events SET items_fixed = $1, kg_saved = $2 WHERE id = $3 AND cafe_id = $4`,
		fixed, savedKg, eventID, cafeID); err != nil {
		return fmt.Errorf("save event totals: %w", err)
	}
	return tx.Commit()
}

type eventSummary struct {
	CafeID     int64   `json:"cafe_id"`
	EventID    int64   `json:"event_id"`
	ItemsFixed int     `json:"items_fixed"`
	KgSaved    float64 `json:"kg_saved"`
}

// PublishSummaries runs from the nightly cron container and sends yesterday's
// closed events to the regional network in a single batch.
func (s *Service) PublishSummaries(ctx context.Context, batch []eventSummary) error {
	payload, err := json.Marshal(map[string]any{"events": batch})
	if err != nil {
		return err
	}

	var lastErr error
	for attempt := 1; attempt <= 6; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.NetworkURL+"/api/v1/event-summaries", bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")

		resp, err := s.HTTP.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			err = fmt.Errorf("network API returned %s", resp.Status)
		}
		lastErr = err
		log.Printf("repaircafe: publish attempt %d failed: %v", attempt, err)
		time.Sleep(2 * time.Second)
	}
	return fmt.Errorf("publish summaries: giving up: %w", lastErr)
}
