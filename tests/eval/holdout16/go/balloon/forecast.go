// Package forecast serves go/no-go wind forecasts for balloon launch sites.
// The upstream weather API is slow (~2s) and rate-limited, so forecasts are
// cached per launch site for 10 minutes. Concurrent misses for the same site
// share one upstream call via singleflight.
package forecast

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

type Site struct {
	Code string  `json:"code"`
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

type Forecast struct {
	Site      string    `json:"site"`
	SurfaceKt float64   `json:"surface_wind_kt"`
	AloftKt   float64   `json:"aloft_wind_kt"`
	GoNoGo    string    `json:"go_no_go"`
	FetchedAt time.Time `json:"fetched_at"`
}

// sites is populated once in LoadSites at startup and only read afterwards.
var sites sync.Map // code -> Site

func LoadSites(list []Site) {
	for _, s := range list {
		sites.Store(s.Code, s)
	}
}

type Service struct {
	client *http.Client
	apiURL string
	cache  *expirable.LRU[string, Forecast]
	group  singleflight.Group
	log    *slog.Logger
}

func NewService(apiURL string, log *slog.Logger) *Service {
	return &Service{
		client: &http.Client{Timeout: 6 * time.Second},
		apiURL: apiURL,
		cache:  expirable.NewLRU[string, Forecast](256, nil, 10*time.Minute),
		log:    log,
	}
}

func (s *Service) Routes(r chi.Router) { r.Get("/sites/{code}/forecast", s.getForecast) }

func (s *Service) getForecast(w http.ResponseWriter, r *http.Request) {
	v, ok := sites.Load(chi.URLParam(r, "code"))
	if !ok {
		http.Error(w, "unknown launch site", http.StatusNotFound)
		return
	}
	site := v.(Site)

	if f, ok := s.cache.Get(site.Code); ok {
		writeJSON(w, f)
		return
	}
	res, err, _ := s.group.Do(site.Code, func() (any, error) {
		if f, ok := s.cache.Get(site.Code); ok { // filled while we waited
			return f, nil
		}
		f, err := s.fetch(r.Context(), site)
		if err != nil {
			return nil, err
		}
		s.cache.Add(site.Code, f)
		return f, nil
	})
	if err != nil {
		s.log.Error("forecast fetch failed", "site", site.Code, "err", err)
		http.Error(w, "forecast unavailable", http.StatusBadGateway)
		return
	}
	writeJSON(w, res.(Forecast))
}

func (s *Service) fetch(ctx context.Context, site Site) (Forecast, error) {
	url := fmt.Sprintf("%s/v1/winds?lat=%.4f&lon=%.4f&levels=surface,3000ft", s.apiURL, site.Lat, site.Lon)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Forecast{}, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return Forecast{}, err
	}
	defer resp.Body.Close()
	var raw struct{ Surface, Aloft float64 }
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		return Forecast{}, fmt.Errorf("decode winds: %w", err)
	}
	verdict := "go"
	if raw.Surface > 8 || raw.Aloft > 20 {
		verdict = "no-go"
	}
	return Forecast{Site: site.Code, SurfaceKt: raw.Surface, AloftKt: raw.Aloft, GoNoGo: verdict, FetchedAt: time.Now()}, nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
