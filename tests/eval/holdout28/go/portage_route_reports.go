package portage

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type Report struct {
	ID         int64     `db:"id" json:"id"`
	RouteID    int64     `db:"route_id" json:"route_id"`
	Author     string    `db:"author" json:"author"`
	Condition  string    `db:"condition" json:"condition"` // clear, muddy, blowdown, flooded
	Note       string    `db:"note" json:"note"`
	ReportedAt time.Time `db:"reported_at" json:"reported_at"`
}

type Service struct {
	DB       *sqlx.DB
	GaugeAPI string
	HTTP     *http.Client
}

func NewService(db *sqlx.DB, gaugeAPI string) *Service {
	return &Service{DB: db, GaugeAPI: gaugeAPI, HTTP: &http.Client{Timeout: 8 * time.Second}}
}

// listReports handles GET /routes/{id}/reports?before=<id>&limit=<n>, newest first.
func (s *Service) listReports(w http.ResponseWriter, r *http.Request) {
	routeID, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		http.Error(w, "bad route id", http.StatusBadRequest)
		return
	}
	limit := 25
	if v, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && v > 0 && v <= 100 {
		limit = v
	}
	before := int64(1<<63 - 1)
	if v, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64); err == nil && v > 0 {
		before = v
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	reports := []Report{}
	err = s.DB.SelectContext(ctx, &reports, `
		SELECT id, route_id, author, condition, note, reported_at
		FROM portage_reports
		WHERE route_id = $1 AND id < $2
		ORDER BY id DESC
		LIMIT $3`, routeID, before, limit)
	if err != nil {
		log.Printf("portage: list reports route=%d: %v", routeID, err)
		http.Error(w, "could not load reports", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(reports); err != nil {
		log.Printf("portage: encode reports: %v", err)
	}
}

type gaugeReading struct {
	Station string    `json:"station"`
	LevelCm int       `json:"level_cm"`
	ReadAt  time.Time `json:"read_at"`
}

// RefreshGauges runs every 30 minutes from the scheduler (not from a request).
// One call fetches all stations; the river authority API sheds load with 503s.
func (s *Service) RefreshGauges(ctx context.Context, stations []string) error {
	u := s.GaugeAPI + "?stations=" + url.QueryEscape(strings.Join(stations, ","))
	const maxAttempts = 5
	base, maxDelay := 500*time.Millisecond, 30*time.Second
	var readings []gaugeReading
	for attempt := 0; ; attempt++ {
		err := s.fetchJSON(ctx, u, &readings)
		if err == nil {
			break
		}
		if attempt+1 == maxAttempts {
			return fmt.Errorf("gauge api after %d attempts: %w", maxAttempts, err)
		}
		delay := min(base<<attempt, maxDelay)
		delay = delay/2 + time.Duration(rand.Int63n(int64(delay/2)+1)) // jitter
		log.Printf("portage: gauge fetch attempt %d failed, retrying in %s: %v", attempt+1, delay, err)
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ids, levels, times := make([]string, len(readings)), make([]int64, len(readings)), make([]string, len(readings))
	for i, rd := range readings {
		ids[i], levels[i], times[i] = rd.Station, int64(rd.LevelCm), rd.ReadAt.Format(time.RFC3339)
	}
	_, err := s.DB.ExecContext(ctx, `
		INSERT INTO gauge_readings (station, level_cm, read_at)
		SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[])
		ON CONFLICT (station, read_at) DO NOTHING`,
		pq.Array(ids), pq.Array(levels), pq.Array(times))
	return err
}

func (s *Service) fetchJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("gauge api: %s", resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
