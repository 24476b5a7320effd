package pilotage

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// ArrivalEvent is posted by the Vessel Traffic Service when a ship reports
// at the pilot boarding ground. The VTS retries until it receives a 2xx.
type ArrivalEvent struct {
	EventID          string    `json:"event_id"`
	VesselName       string    `json:"vessel_name"`
	IMO              string    `json:"imo"`
	ETABoarding      time.Time `json:"eta_boarding"`
	Berth            string    `json:"berth"`
	EstimatedMinutes int       `json:"estimated_minutes"`
}

type Handler struct {
	DB       *sql.DB
	Log      *slog.Logger
	VTSHosts map[string]bool // allow-listed VTS gateway addresses
}

func clientAddr(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// VesselArrival assigns the least-loaded pilot on watch to the arriving vessel.
func (h *Handler) VesselArrival(w http.ResponseWriter, r *http.Request) {
	if !h.VTSHosts[clientAddr(r)] {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}

	var ev ArrivalEvent
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		h.Log.Error("begin", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	var pilotID int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM pilots WHERE on_watch AND licence_class >= (SELECT required_class FROM berths WHERE code = $1) ORDER BY duty_minutes, id LIMIT 1`, ev.Berth).Scan(&pilotID)
	if err != nil {
		h.Log.Error("pick pilot", "vessel", ev.IMO, "err", err)
		http.Error(w, "no pilot available", http.StatusServiceUnavailable)
		return
	}

	if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (pilot_id, vessel_name, imo, berth, boarding_at, status) VALUES ($1, $2, $3, $4, $5, 'assigned')`,
		pilotID, ev.VesselName, ev.IMO, ev.Berth, ev.ETABoarding); err != nil {
		h.Log.Error("insert assignment", "vessel", ev.IMO, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}

	// Keep the pilot's running duty total for the fatigue rules (max 12h per 24h).
	var duty int
	if err := tx.QueryRowContext(ctx, `SELECT duty_minutes FROM pilots WHERE id = $1`, pilotID).Scan(&duty); err != nil {
		h.Log.Error("read duty", "pilot", pilotID, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	duty += ev.EstimatedMinutes
	if _, err := tx.ExecContext(ctx, `UPDATE pilots SET duty_minutes = $1, last_assigned_at = now() WHERE id = $2`, duty, pilotID); err != nil {
		h.Log.Error("update duty", "pilot", pilotID, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}

	if err := tx.Commit(); err != nil {
		h.Log.Error("commit", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	h.Log.Info("pilot assigned", "event", ev.EventID, "vessel", ev.VesselName, "pilot", pilotID)
	w.WriteHeader(http.StatusOK)
}
