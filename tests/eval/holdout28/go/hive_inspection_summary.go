package apiary

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// HiveSummary is what the keeper sees on the apiary page before heading up to the roof.
type HiveSummary struct {
	HiveID        int64      `json:"hive_id"`
	Name          string     `json:"name"`
	LastInspected *time.Time `json:"last_inspected,omitempty"`
	QueenSeen     bool       `json:"queen_seen"`
	MiteCount     int        `json:"mite_count"`
}

type ApiaryPage struct {
	ApiaryID int64         `json:"apiary_id"`
	Hives    []HiveSummary `json:"hives"`
	Forecast *Forecast     `json:"forecast,omitempty"`
}

type Forecast struct {
	TempC      float64 `json:"temp_c"`
	WindKph    float64 `json:"wind_kph"`
	RainChance int     `json:"rain_chance"`
}

type Handlers struct {
	DB         *sql.DB
	WeatherURL string // e.g. https://api.metdata.example/v2/hourly
}

// ApiaryOverview handles GET /apiaries/{id}/overview.
func (h *Handlers) ApiaryOverview(w http.ResponseWriter, r *http.Request) {
	apiaryID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad apiary id", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()

	var lat, lon float64
	if err := h.DB.QueryRowContext(ctx, `SELECT lat, lon FROM apiaries WHERE id = $1`, apiaryID).Scan(&lat, &lon); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			http.NotFound(w, r)
			return
		}
		log.Printf("apiary %d: %v", apiaryID, err)
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}

	rows, err := h.DB.QueryContext(ctx, `SELECT id, name FROM hives WHERE apiary_id = $1 AND retired_at IS NULL ORDER BY name`, apiaryID)
	if err != nil {
		log.Printf("hives for apiary %d: %v", apiaryID, err)
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	page := ApiaryPage{ApiaryID: apiaryID}
	for rows.Next() {
		var s HiveSummary
		if err := rows.Scan(&s.HiveID, &s.Name); err != nil {
			http.Error(w, "lookup failed", http.StatusInternalServerError)
			return
		}
		var at sql.NullTime
		err := h.DB.QueryRowContext(ctx, `SELECT inspected_at, queen_seen, mite_count FROM inspections WHERE hive_id = $1 ORDER BY inspected_at DESC LIMIT 1`, s.HiveID).Scan(&at, &s.QueenSeen, &s.MiteCount)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			log.Printf("last inspection hive %d: %v", s.HiveID, err)
			http.Error(w, "lookup failed", http.StatusInternalServerError)
			return
		}
		if at.Valid {
			s.LastInspected = &at.Time
		}
		page.Hives = append(page.Hives, s)
	}
	if err := rows.Err(); err != nil {
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}

	// The forecast is nice to have: keepers skip opening hives in rain or high wind.
	if fc, err := h.fetchForecast(lat, lon); err != nil {
		log.Printf("forecast for apiary %d: %v", apiaryID, err)
	} else {
		page.Forecast = fc
	}

	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(page); err != nil {
		log.Printf("encode overview %d: %v", apiaryID, err)
	}
}

func (h *Handlers) fetchForecast(lat, lon float64) (*Forecast, error) {
	q := url.Values{"lat": {fmt.Sprint(lat)}, "lon": {fmt.Sprint(lon)}, "hours": {"3"}}
	resp, err := http.Get(h.WeatherURL + "?" + q.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("weather api: %s", resp.Status)
	}
	var fc Forecast
	if err := json.NewDecoder(resp.Body).Decode(&fc); err != nil {
		return nil, err
	}
	return &fc, nil
}
