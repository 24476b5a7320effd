// Good catch — the hang comes from http.DefaultClient, which has no timeout,
// so one slow response from the distance provider ties up the handler
// forever. Below is the updated estimator:
//
//   - a package-level http.Client with a 5s timeout (reused, so connections are pooled)
//   - the request context is passed through, so a client disconnect cancels the call
//   - a small in-memory cache for rate cards so we don't hit Postgres on every quote
//
// Drop-in replacement for quotes/estimator.go.
package quotes

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

var distanceClient = &http.Client{Timeout: 5 * time.Second}

type RateCard struct {
	Region          string  `json:"region"`
	PerMileCents    int64   `json:"per_mile_cents"`
	CrewHourCents   int64   `json:"crew_hour_cents"`
	TruckDayCents   int64   `json:"truck_day_cents"`
	StairsSurcharge float64 `json:"stairs_surcharge"`
}

type cachedCard struct {
	card    RateCard
	fetched time.Time
}

var (
	cardMu    sync.RWMutex
	cardCache = map[string]cachedCard{}
)

type Service struct {
	DB          *sql.DB
	DistanceURL string
}

func (s *Service) Routes(r chi.Router) {
	r.Get("/estimate", s.Estimate)
}

func (s *Service) rateCard(ctx context.Context, customerID, region string) (RateCard, error) {
	key := fmt.Sprintf("ratecard:%s:%s", customerID, region)

	cardMu.RLock()
	c, ok := cardCache[key]
	cardMu.RUnlock()
	if ok && time.Since(c.fetched) < 10*time.Minute {
		return c.card, nil
	}

	var rc RateCard
	err := s.DB.QueryRowContext(ctx, `
		SELECT region, per_mile_cents, crew_hour_cents, truck_day_cents, stairs_surcharge
		  FROM rate_cards WHERE region = $1 AND effective_from <= now()
		 ORDER BY effective_from DESC LIMIT 1`, region).
		Scan(&rc.Region, &rc.PerMileCents, &rc.CrewHourCents, &rc.TruckDayCents, &rc.StairsSurcharge)
	if err != nil {
		return RateCard{}, err
	}

	cardMu.Lock()
	cardCache[key] = cachedCard{card: rc, fetched: time.Now()}
	cardMu.Unlock()
	return rc, nil
}

func (s *Service) miles(ctx context.Context, fromZip, toZip string) (float64, error) {
	u := fmt.Sprintf("%s/route?from=%s&to=%s", s.DistanceURL, url.QueryEscape(fromZip), url.QueryEscape(toZip))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := distanceClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("distance api: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Miles float64 `json:"miles"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return 0, err
	}
	return out.Miles, nil
}

// GET /estimate?from=30301&to=28202&region=southeast&crew=3&hours=6
func (s *Service) Estimate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	customerID := r.Header.Get("X-Customer-ID") // set by the API gateway after auth

	card, err := s.rateCard(ctx, customerID, q.Get("region"))
	if err != nil {
		http.Error(w, "unknown region", http.StatusBadRequest)
		return
	}
	miles, err := s.miles(ctx, q.Get("from"), q.Get("to"))
	if err != nil {
		http.Error(w, "distance lookup failed", http.StatusBadGateway)
		return
	}
	var crew, hours int64
	fmt.Sscan(q.Get("crew"), &crew)
	fmt.Sscan(q.Get("hours"), &hours)

	total := int64(miles*float64(card.PerMileCents)) + crew*hours*card.CrewHourCents + card.TruckDayCents
	json.NewEncoder(w).Encode(map[string]any{"miles": miles, "total_cents": total, "rate_card": card})
}
