package observations

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"

	"example.org/skylog/internal/auth"
)

// SiteConditions is one row of the "tonight at our sites" panel on the
// society home page.
type SiteConditions struct {
	Site          string  `json:"site"`
	Observations  int     `json:"observations"`
	AvgSeeing     float64 `json:"avg_seeing"`
	BestLimitMag  float64 `json:"best_limiting_mag"`
	PopularTarget string  `json:"popular_target"`
}

type AtlasRenderer interface {
	// RenderSeasonAtlas draws every logged sketch of the season into one PDF
	// and uploads it to the society's bucket.
	RenderSeasonAtlas(ctx context.Context, societyID int64, season string) (url string, err error)
}

type Handlers struct {
	DB    *sql.DB
	Redis *redis.Client
	Atlas AtlasRenderer
	Log   *slog.Logger
}

func (h *Handlers) Routes(r chi.Router) {
	r.Get("/home/conditions", h.Conditions)
	r.Post("/seasons/{season}/atlas", h.BuildAtlas)
}

func (h *Handlers) Conditions(w http.ResponseWriter, r *http.Request) {
	member := auth.MemberFrom(r.Context())
	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()

	cacheKey := fmt.Sprintf("home:conditions:%d", member.ID)
	if raw, err := h.Redis.Get(ctx, cacheKey).Bytes(); err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(raw)
		return
	}

	// 90 days of logs for the society: seeing, limiting magnitude and the most
	// observed target per dark-sky site.
	rows, err := h.DB.QueryContext(ctx, `
		SELECT s.name, count(*), avg(o.seeing), max(o.limiting_mag),
			   mode() WITHIN GROUP (ORDER BY o.target)
		  FROM observations o
		  JOIN sites s ON s.id = o.site_id
		 WHERE o.society_id = $1 AND o.observed_at > now() - interval '90 days'
		 GROUP BY s.name
		 ORDER BY count(*) DESC
		 LIMIT 12`, member.SocietyID)
	if err != nil {
		h.Log.Error("conditions query", "society", member.SocietyID, "err", err)
		http.Error(w, "conditions unavailable", http.StatusServiceUnavailable)
		return
	}
	defer rows.Close()

	var out []SiteConditions
	for rows.Next() {
		var c SiteConditions
		if err := rows.Scan(&c.Site, &c.Observations, &c.AvgSeeing, &c.BestLimitMag, &c.PopularTarget); err != nil {
			h.Log.Error("conditions scan", "err", err)
			http.Error(w, "conditions unavailable", http.StatusServiceUnavailable)
			return
		}
		out = append(out, c)
	}

	raw, err := json.Marshal(out)
	if err != nil {
		h.Log.Error("conditions encode", "err", err)
		http.Error(w, "conditions unavailable", http.StatusInternalServerError)
		return
	}
	if err := h.Redis.Set(ctx, cacheKey, raw, 15*time.Minute).Err(); err != nil {
		h.Log.Warn("conditions cache set", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(raw)
}

// BuildAtlas is triggered by the observing secretary at the end of a season.
func (h *Handlers) BuildAtlas(w http.ResponseWriter, r *http.Request) {
	member := auth.MemberFrom(r.Context())
	if !member.IsCommittee {
		http.Error(w, "committee only", http.StatusForbidden)
		return
	}
	season := chi.URLParam(r, "season")

	// Large societies have several thousand sketches; rendering takes a few minutes.
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Minute)
	defer cancel()
	url, err := h.Atlas.RenderSeasonAtlas(ctx, member.SocietyID, season)
	if err != nil {
		h.Log.Error("atlas render", "society", member.SocietyID, "season", season, "err", err)
		http.Error(w, "atlas failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"atlas_url": url})
}
