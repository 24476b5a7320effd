package inventory

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

	"github.com/lib/pq"
)

// Unit is one blood component bag held in the hospital bank.
type Unit struct {
	ID        int64     `json:"id"`
	Product   string    `json:"product"` // RBC, FFP, PLT, CRYO
	ABO       string    `json:"abo"`
	Rh        string    `json:"rh"`
	ExpiresOn time.Time `json:"expires_on"`
}

var registryClient = &http.Client{Timeout: 10 * time.Second}

// SyncHandler is called by the bank's lab system after each stock count and
// pushes units not yet reported to the regional registry.
func SyncHandler(registryURL string, bankID int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		db, err := sql.Open("postgres", os.Getenv("BLOODBANK_DSN"))
		if err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		defer db.Close()

		ctx := r.Context()
		rows, err := db.QueryContext(ctx, `
			SELECT id, product, abo, rh, expires_on
			FROM blood_units
			WHERE bank_id = $1 AND reported_at IS NULL AND status = 'available'
			ORDER BY id
			LIMIT 500`, bankID)
		if err != nil {
			log.Printf("load unreported units: %v", err)
			http.Error(w, "query failed", http.StatusInternalServerError)
			return
		}
		defer rows.Close()

		var units []Unit
		for rows.Next() {
			var u Unit
			if err := rows.Scan(&u.ID, &u.Product, &u.ABO, &u.Rh, &u.ExpiresOn); err != nil {
				continue
			}
			units = append(units, u)
		}
		if len(units) == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}

		if err := pushToRegistry(ctx, registryURL, bankID, units); err != nil {
			log.Printf("registry push bank=%d: %v", bankID, err)
			http.Error(w, "registry unavailable", http.StatusBadGateway)
			return
		}

		ids := make([]int64, len(units))
		for i, u := range units {
			ids[i] = u.ID
		}
		if _, err := db.ExecContext(ctx,
			`UPDATE blood_units SET reported_at = now() WHERE bank_id = $1 AND id = ANY($2)`,
			bankID, pq.Array(ids)); err != nil {
			log.Printf("mark reported: %v", err)
			http.Error(w, "could not mark units", http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, `{"reported":%d}`, len(units))
	}
}

func pushToRegistry(ctx context.Context, url string, bankID int64, units []Unit) error {
	payload, err := json.Marshal(map[string]any{"bank_id": bankID, "units": units})
	if err != nil {
		return err
	}
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		resp, err := registryClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			lastErr = fmt.Errorf("registry status %d", resp.StatusCode)
		} else {
			lastErr = err
		}
		time.Sleep(500 * time.Millisecond)
	}
	return fmt.Errorf("after 5 attempts: %w", lastErr)
}
