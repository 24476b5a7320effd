// Package telemetry pulls inverter readings from the vendor monitoring cloud.
// Deployed as the telemetry-api service on Cloud Run (ingress request timeout: 30s).
package telemetry

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/lib/pq"
	"golang.org/x/sync/errgroup"
)

var vendorClient = &http.Client{}

type Reading struct {
	SiteID string    `json:"site_id"`
	At     time.Time `json:"date"`
	PowerW float64   `json:"value"`
}

type Service struct {
	DB              *sql.DB
	BaseURL, APIKey string
}

// fetchDay returns the 15-minute power readings of one site for one calendar day.
func (s *Service) fetchDay(ctx context.Context, siteID string, day time.Time) ([]Reading, error) {
	d := day.Format("2006-01-02")
	url := fmt.Sprintf("%s/site/%s/power?startTime=%s%%2000:00:00&endTime=%s%%2023:59:59&api_key=%s",
		s.BaseURL, siteID, d, d, s.APIKey)
	var resp *http.Response
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		var err error
		resp, err = vendorClient.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			break
		}
		if resp != nil {
			resp.Body.Close()
		}
		log.Printf("site %s: vendor api attempt %d failed (err=%v), retrying", siteID, attempt, err)
		time.Sleep(2 * time.Second)
	}
	defer resp.Body.Close()

	var body struct {
		Power struct{ Values []Reading `json:"values"` } `json:"power"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("decode site %s: %w", siteID, err)
	}
	for i := range body.Power.Values {
		body.Power.Values[i].SiteID = siteID
	}
	return body.Power.Values, nil
}

func (s *Service) store(ctx context.Context, rs []Reading) error {
	ids, ts, ws := make([]string, len(rs)), make([]string, len(rs)), make([]float64, len(rs))
	for i, r := range rs {
		ids[i], ts[i], ws[i] = r.SiteID, r.At.Format(time.RFC3339), r.PowerW
	}
	_, err := s.DB.ExecContext(ctx, `
		INSERT INTO power_readings (site_id, measured_at, power_w)
		SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[])
		ON CONFLICT (site_id, measured_at) DO UPDATE SET power_w = EXCLUDED.power_w`,
		pq.Array(ids), pq.Array(ts), pq.Array(ws))
	return err
}

// PollToday runs every 15 minutes and refreshes today's curve for every active site.
func (s *Service) PollToday(ctx context.Context, siteIDs []string) {
	var g errgroup.Group
	g.SetLimit(8)
	for _, id := range siteIDs {
		g.Go(func() error {
			rs, err := s.fetchDay(ctx, id, time.Now().UTC())
			if err == nil {
				err = s.store(ctx, rs)
			}
			if err != nil {
				log.Printf("poll %s: %v", id, err) // next tick will try again
			}
			return nil
		})
	}
	_ = g.Wait()
}

// HandleBackfill: POST /sites/{id}/backfill?from=2024-01-01&to=2024-12-31
// Used by support when a customer connects an installation that has history.
func (s *Service) HandleBackfill(w http.ResponseWriter, r *http.Request) {
	siteID := r.PathValue("id")
	from, err1 := time.Parse(time.DateOnly, r.URL.Query().Get("from"))
	to, err2 := time.Parse(time.DateOnly, r.URL.Query().Get("to"))
	if err1 != nil || err2 != nil || to.Before(from) {
		http.Error(w, "bad date range", http.StatusBadRequest)
		return
	}
	total := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		rs, err := s.fetchDay(r.Context(), siteID, d)
		if err == nil {
			err = s.store(r.Context(), rs)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		total += len(rs)
		time.Sleep(400 * time.Millisecond) // vendor allows ~3 requests/s per key
	}
	json.NewEncoder(w).Encode(map[string]int{"stored": total})
}
