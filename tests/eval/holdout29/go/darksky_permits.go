package permits

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

// SkyReading is a Sky Quality Meter reading from the dark-sky network.
type SkyReading struct {
	SiteID    string    `json:"site_id"`
	MagArcsec float64   `json:"mag_arcsec2"` // 21.5+ is a truly dark site
	Cloud     int       `json:"cloud_pct"`
	TakenAt   time.Time `json:"taken_at"`
}

type Service struct {
	DB      *sql.DB
	SQMBase string
	HTTP    *http.Client // built in main with Timeout: 8s
	Render  PermitRenderer
	Mailer  Mailer
}

// Readings are looked up per site and night; kept in memory to avoid
// hammering the volunteer-run SQM network.
var (
	sqmMu    sync.RWMutex
	sqmCache = map[string]SkyReading{}
)

func (s *Service) skyReading(ctx context.Context, siteID string, night time.Time) (SkyReading, error) {
	key := siteID + "|" + night.Format("2006-01-02")
	sqmMu.RLock()
	if rd, ok := sqmCache[key]; ok {
		sqmMu.RUnlock()
		return rd, nil
	}
	sqmMu.RUnlock()

	url := fmt.Sprintf("%s/sites/%s/readings?night=%s", s.SQMBase, siteID, night.Format("2006-01-02"))
	var lastErr error
	for attempt := 1; attempt <= 4; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return SkyReading{}, err
		}
		resp, err := s.HTTP.Do(req)
		if err == nil && resp.StatusCode == http.StatusOK {
			var rd SkyReading
			err = json.NewDecoder(resp.Body).Decode(&rd)
			resp.Body.Close()
			if err == nil {
				sqmMu.Lock()
				sqmCache[key] = rd
				sqmMu.Unlock()
				return rd, nil
			}
		} else if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("sqm status %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(250 * time.Millisecond)
	}
	return SkyReading{}, fmt.Errorf("sqm %s after retries: %w", siteID, lastErr)
}

// GET /sites/{id}/conditions?night=YYYY-MM-DD
func (s *Service) Conditions(w http.ResponseWriter, r *http.Request, siteID string) {
	night, err := time.Parse("2006-01-02", r.URL.Query().Get("night"))
	if err != nil {
		http.Error(w, "night must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}
	rd, err := s.skyReading(r.Context(), siteID, night)
	if err != nil {
		log.Printf("conditions site=%s: %v", siteID, err)
		http.Error(w, "sky data unavailable", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(rd)
}

// POST /admin/seasons/{season}/reissue — called by the permits officer after
// the season's site rules change. Each permit PDF embeds the site map at 300 dpi
// (1–3 s per render); a winter season has ~4,000 permit holders.
func (s *Service) ReissueSeason(w http.ResponseWriter, r *http.Request, season string) {
	holders, err := s.loadHolders(r.Context(), season)
	if err != nil {
		log.Printf("reissue load season=%s: %v", season, err)
		http.Error(w, "could not load permit holders", http.StatusInternalServerError)
		return
	}

	sent := 0
	for _, h := range holders {
		pdf, err := s.Render.PermitPDF(h)
		if err != nil {
			log.Printf("render permit %d: %v", h.PermitID, err)
			continue
		}
		if err := s.Mailer.SendWithAttachment(h.Email, "Your updated dark-sky permit", pdf); err != nil {
			log.Printf("mail permit %d: %v", h.PermitID, err)
			continue
		}
		sent++
	}
	json.NewEncoder(w).Encode(map[string]int{"holders": len(holders), "sent": sent})
}
