package jobs

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

// PressingLabels runs at 21:00 after each community pressing day. For every
// batch pressed that day it prints bottle labels on the barn's label
// printer service and marks the batch as labelled.
type PressingLabels struct {
	DB         *sql.DB
	PrinterURL string
	HTTP       *http.Client // built in main with Timeout: 15s
}

type pressing struct {
	ID       int64
	MemberID int64
	Variety  string
	Litres   float64
	Bottles  int
}

type member struct {
	Name     string
	Orchard  string
	SharePct int
}

func (j *PressingLabels) Run(ctx context.Context, day time.Time) error {
	rows, err := j.DB.QueryContext(ctx, `
		SELECT id, member_id, variety, litres, bottles
		  FROM pressings
		 WHERE pressed_on = $1 AND labelled_at IS NULL
		 ORDER BY id`, day.Format("2006-01-02"))
	if err != nil {
		return fmt.Errorf("load pressings: %w", err)
	}
	var batch []pressing
	for rows.Next() {
		var p pressing
		if err := rows.Scan(&p.ID, &p.MemberID, &p.Variety, &p.Litres, &p.Bottles); err != nil {
			rows.Close()
			return err
		}
		batch = append(batch, p)
	}
	rows.Close()

	printed := 0
	for _, p := range batch {
		var m member
		err := j.DB.QueryRowContext(ctx,
			`SELECT display_name, orchard_name, share_pct FROM orchard_members WHERE id = $1`,
			p.MemberID).Scan(&m.Name, &m.Orchard, &m.SharePct)
		if err != nil {
			return fmt.Errorf("member %d: %w", p.MemberID, err)
		}

		if err := j.printLabels(ctx, p, m); err != nil {
			continue
		}
		if _, err := j.DB.ExecContext(ctx,
			`UPDATE pressings SET labelled_at = now() WHERE id = $1`, p.ID); err != nil {
			return fmt.Errorf("mark pressing %d labelled: %w", p.ID, err)
		}
		printed++
	}
	log.Printf("pressing labels %s: %d batches printed", day.Format("2006-01-02"), printed)
	return nil
}

func (j *PressingLabels) printLabels(ctx context.Context, p pressing, m member) error {
	body, err := json.Marshal(map[string]any{
		"title":   fmt.Sprintf("%s %s", m.Orchard, p.Variety),
		"subline": fmt.Sprintf("Pressed for %s", m.Name),
		"copies":  p.Bottles,
	})
	if err != nil {
		return err
	}
	var lastErr error
	for attempt := 1; attempt <= 6; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.PrinterURL+"/jobs", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := j.HTTP.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			err = fmt.Errorf("printer returned %s", resp.Status)
		}
		lastErr = err
		// The printer queue is usually just busy with the previous batch.
		time.Sleep(2 * time.Second)
	}
	return lastErr
}
