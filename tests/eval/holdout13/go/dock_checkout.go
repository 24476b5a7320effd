package docks

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// lockCtl talks to the dock controllers (HTTP API on the station gateway).
// One shared client; the timeout covers connect + headers + body.
var lockCtl = &http.Client{
	Timeout: 4 * time.Second,
	Transport: &http.Transport{
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     90 * time.Second,
	},
}

type Service struct {
	DB          *sql.DB
	GatewayBase string
}

var ErrNoBikes = errors.New("no bikes available at this dock")

// Unlock reserves a bike at the dock for the rider and opens the latch.
func (s *Service) Unlock(ctx context.Context, dockID, riderID int64) (rideID int64, err error) {
	tx, err := s.DB.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	var available int
	var stationCode string
	err = tx.QueryRowContext(ctx,
		`SELECT bikes_available, station_code FROM docks WHERE id = $1 FOR UPDATE`, dockID).
		Scan(&available, &stationCode)
	if err != nil {
		return 0, fmt.Errorf("load dock %d: %w", dockID, err)
	}
	if available < 1 {
		return 0, ErrNoBikes
	}
	if _, err = tx.ExecContext(ctx,
		`UPDATE docks SET bikes_available = bikes_available - 1 WHERE id = $1`, dockID); err != nil {
		return 0, err
	}
	if err = tx.QueryRowContext(ctx,
		`INSERT INTO rides (rider_id, start_dock_id, started_at) VALUES ($1, $2, now()) RETURNING id`,
		riderID, dockID).Scan(&rideID); err != nil {
		return 0, err
	}
	if err = tx.Commit(); err != nil {
		return 0, err
	}

	// open the latch after commit so we never hold the row lock across a network call
	body := fmt.Sprintf(`{"ride_id":%d}`, rideID)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost,
		fmt.Sprintf("%s/stations/%s/docks/%d/release", s.GatewayBase, stationCode, dockID),
		strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := lockCtl.Do(req)
	if err != nil {
		slog.Error("latch release failed", "dock", dockID, "ride", rideID, "err", err)
		return rideID, fmt.Errorf("release latch: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return rideID, fmt.Errorf("release latch: gateway status %d", resp.StatusCode)
	}
	return rideID, nil
}

// UnlockHandler: POST /docks/{id}/unlock
func (s *Service) UnlockHandler(w http.ResponseWriter, r *http.Request) {
	var dockID int64
	if _, err := fmt.Sscan(r.PathValue("id"), &dockID); err != nil {
		http.Error(w, "bad dock id", http.StatusBadRequest)
		return
	}
	riderID := RiderID(r.Context())
	rideID, err := s.Unlock(r.Context(), dockID, riderID)
	switch {
	case errors.Is(err, ErrNoBikes):
		http.Error(w, err.Error(), http.StatusConflict)
		return
	case err != nil && rideID == 0:
		slog.Error("unlock", "dock", dockID, "err", err)
		http.Error(w, "could not start ride", http.StatusInternalServerError)
		return
	case err != nil:
		// ride exists but latch didn't open; support flow cancels it from the app
		w.WriteHeader(http.StatusBadGateway)
		json.NewEncoder(w).Encode(map[string]any{"ride_id": rideID, "error": "latch did not open"})
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"ride_id": rideID})
}
