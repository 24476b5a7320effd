package locks

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"
)

// PassageView is one row on the lock-keeper's tablet: a boat that worked
// through the flight on the selected day.
type PassageView struct {
	ID         int64     `json:"id"`
	BoatIndex  string    `json:"boat_index"`
	BoatName   string    `json:"boat_name"`
	Direction  string    `json:"direction"` // "up" or "down"
	PassedAt   time.Time `json:"passed_at"`
	KeeperInit string    `json:"keeper_initials"`
}

type DayLog struct {
	LockID     int64         `json:"lock_id"`
	Date       string        `json:"date"`
	Passages   []PassageView `json:"passages"`
	RiverLevel *float64      `json:"river_level_m,omitempty"`
}

type Handler struct {
	DB       *sql.DB
	GaugeAPI string // flood-monitoring base URL, from config
}

// DayPassages serves GET /locks/{id}/passages?date=2024-06-01
func (h *Handler) DayPassages(w http.ResponseWriter, r *http.Request) {
	lockID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad lock id", http.StatusBadRequest)
		return
	}
	day, err := time.Parse("2006-01-02", r.URL.Query().Get("date"))
	if err != nil {
		http.Error(w, "date must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	var station string
	if err := h.DB.QueryRowContext(ctx,
		`SELECT gauge_station FROM locks WHERE id = $1`, lockID).Scan(&station); err != nil {
		http.Error(w, "unknown lock", http.StatusNotFound)
		return
	}

	rows, err := h.DB.QueryContext(ctx, `
		SELECT id, boat_index, direction, passed_at, keeper_initials
		FROM passage_logs
		WHERE lock_id = $1 AND passed_at >= $2 AND passed_at < $2 + interval '1 day'
		ORDER BY passed_at
		LIMIT 300`, lockID, day)
	if err != nil {
		log.Printf("passage query: %v", err)
		http.Error(w, "could not load passages", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	out := DayLog{LockID: lockID, Date: day.Format("2006-01-02")}
	for rows.Next() {
		var p PassageView
		if err := rows.Scan(&p.ID, &p.BoatIndex, &p.Direction, &p.PassedAt, &p.KeeperInit); err != nil {
			http.Error(w, "could not read passage", http.StatusInternalServerError)
			return
		}
		// Boat names come from the licensing register, keyed by index number.
		err := h.DB.QueryRowContext(ctx, `SELECT boat_name FROM boat_licences WHERE index_no = $1`, p.BoatIndex).Scan(&p.BoatName)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			http.Error(w, "could not load boat", http.StatusInternalServerError)
			return
		}
		out.Passages = append(out.Passages, p)
	}
	if err := rows.Err(); err != nil {
		http.Error(w, "could not load passages", http.StatusInternalServerError)
		return
	}

	// The river level is a nice-to-have on the tablet; the log still renders without it.
	if level, err := h.latestLevel(station); err != nil {
		log.Printf("river level for station %s: %v", station, err)
	} else {
		out.RiverLevel = &level
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

type readingsResponse struct {
	Items []struct {
		Value float64 `json:"value"`
	} `json:"items"`
}

func (h *Handler) latestLevel(station string) (float64, error) {
	url := fmt.Sprintf("%s/id/stations/%s/readings?latest", h.GaugeAPI, station)
	var lastErr error
	for attempt := 0; attempt < 4; attempt++ {
		resp, err := http.Get(url)
		if err != nil {
			lastErr = err
			continue
		}
		var body readingsResponse
		decErr := json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode >= 500 || decErr != nil || len(body.Items) == 0 {
			lastErr = fmt.Errorf("gauge %s: status %d", station, resp.StatusCode)
			continue
		}
		return body.Items[0].Value, nil
	}
	return 0, lastErr
}
