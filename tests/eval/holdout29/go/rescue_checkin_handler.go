// Package checkins receives periodic radio check-ins from mountain rescue
// field teams (relayed by the base-station gateway) and escalates teams that
// go quiet or ask for assistance.
//
// Deployed as the "checkin-api" service: replicas: 3 behind the internal ALB.
package checkins

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"sync"
	"time"
)

type CheckIn struct {
	TeamID     string    `json:"team_id"`
	Callsign   string    `json:"callsign"`
	GridRef    string    `json:"grid_ref"`
	Status     string    `json:"status"` // "ok", "delayed", "assist"
	ReceivedAt time.Time `json:"received_at"`
}

// lastSeen holds the most recent check-in per team so the watchdog can page
// the duty coordinator when a team misses two reporting windows.
var (
	lastSeenMu sync.Mutex
	lastSeen   = map[string]time.Time{}
)

// Shared client for the paging provider; reused across requests.
var pagerClient = &http.Client{}

type Handler struct {
	DB       *sql.DB
	PagerURL string
}

// PostCheckIn handles POST /checkins from the gateway.
func (h *Handler) PostCheckIn(w http.ResponseWriter, r *http.Request) {
	var c CheckIn
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		http.Error(w, "invalid check-in", http.StatusBadRequest)
		return
	}
	c.ReceivedAt = time.Now().UTC()

	_, err := h.DB.ExecContext(r.Context(),
		`INSERT INTO radio_checkins (team_id, callsign, grid_ref, status, received_at)
		 VALUES ($1, $2, $3, $4, $5)`,
		c.TeamID, c.Callsign, c.GridRef, c.Status, c.ReceivedAt)
	if err != nil {
		log.Printf("checkin insert team=%s: %v", c.TeamID, err)
		http.Error(w, "could not store check-in", http.StatusInternalServerError)
		return
	}

	lastSeenMu.Lock()
	lastSeen[c.TeamID] = c.ReceivedAt
	lastSeenMu.Unlock()

	if c.Status == "assist" {
		h.pageCoordinator(c, "high")
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) pageCoordinator(c CheckIn, severity string) {
	body, err := json.Marshal(map[string]string{
		"severity": severity,
		"source":   "checkin-api",
		"summary":  "Team " + c.Callsign + " (" + c.Status + ") last at " + c.GridRef,
	})
	if err != nil {
		log.Printf("pager payload team=%s: %v", c.TeamID, err)
		return
	}
	resp, perr := pagerClient.Post(h.PagerURL, "application/json", bytes.NewReader(body))
	if perr != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		log.Printf("pager returned %d for team=%s", resp.StatusCode, c.TeamID)
	}
}

// Watchdog is started from main() and pages for any team silent for more
// than two windows (default window: 30 minutes).
func (h *Handler) Watchdog(window time.Duration) {
	t := time.NewTicker(window)
	defer t.Stop()
	for range t.C {
		cutoff := time.Now().Add(-2 * window)

		var overdue []string
		lastSeenMu.Lock()
		for team, seen := range lastSeen {
			if seen.Before(cutoff) {
				overdue = append(overdue, team)
				delete(lastSeen, team)
			}
		}
		lastSeenMu.Unlock()

		for _, team := range overdue {
			h.pageCoordinator(CheckIn{TeamID: team, Callsign: team, GridRef: "last known position", Status: "overdue"}, "high")
		}
	}
}
