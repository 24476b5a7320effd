package dispatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gorilla/mux"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Handler struct {
	DB         *pgxpool.Pool
	RoutingURL string // http://routing-svc.logistics.svc.cluster.local:8080
}

type Stop struct {
	ID        int64   `json:"id"`
	Sequence  int     `json:"sequence"`
	AddressID int64   `json:"-"`
	Street    string  `json:"street"`
	City      string  `json:"city"`
	Lat       float64 `json:"lat"`
	Lng       float64 `json:"lng"`
}

// AssignDriver puts an available driver on a route.
// POST /routes/{routeID}/assign
func (h *Handler) AssignDriver(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	routeID := mux.Vars(r)["routeID"]

	var req struct {
		DriverID int64 `json:"driver_id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}

	var status string
	err := h.DB.QueryRow(ctx, `SELECT status FROM drivers WHERE id = $1`, req.DriverID).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		http.Error(w, "driver not found", http.StatusNotFound)
		return
	} else if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if status != "available" {
		http.Error(w, "driver is not available", http.StatusConflict)
		return
	}

	if _, err := h.DB.Exec(ctx,
		`UPDATE drivers SET status = 'on_route', current_route_id = $1 WHERE id = $2`,
		routeID, req.DriverID); err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if _, err := h.DB.Exec(ctx,
		`UPDATE routes SET driver_id = $1, assigned_at = now() WHERE id = $2`,
		req.DriverID, routeID); err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Manifest returns the ordered stops of a route plus the ETA from the routing service.
func (h *Handler) Manifest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	routeID := mux.Vars(r)["routeID"]

	rows, err := h.DB.Query(ctx,
		`SELECT id, sequence, address_id FROM route_stops WHERE route_id = $1 ORDER BY sequence`, routeID)
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	stops, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Stop, error) {
		var s Stop
		err := row.Scan(&s.ID, &s.Sequence, &s.AddressID)
		return s, err
	})
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}

	for i := range stops {
		err := h.DB.QueryRow(ctx,
			`SELECT street, city, lat, lng FROM addresses WHERE id = $1`, stops[i].AddressID,
		).Scan(&stops[i].Street, &stops[i].City, &stops[i].Lat, &stops[i].Lng)
		if err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
	}

	body, _ := json.Marshal(map[string]any{"stops": stops})
	resp, err := http.Post(h.RoutingURL+"/v2/eta", "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, "routing unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()

	var eta map[string]any // {"total_minutes": .., "per_stop": [..]}
	if err := json.NewDecoder(resp.Body).Decode(&eta); err != nil {
		http.Error(w, "bad routing response", http.StatusBadGateway)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"route_id": routeID, "stops": stops, "eta": eta})
}
