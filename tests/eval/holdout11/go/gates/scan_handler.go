// Package gates serves the handheld scanners at venue entrances.
// Deployed as the "gate-api" Deployment, runs on 4 pods behind the venue ingress.
package gates

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

type Handler struct {
	DB *sql.DB
}

// scanner devices register when they boot; we keep the gate assignment here so
// the supervisor dashboard can show which device is on which gate.
var (
	deviceMu       sync.RWMutex
	deviceSessions = map[string]deviceSession{}
)

type deviceSession struct {
	GateID   string    `json:"gate_id"`
	Operator string    `json:"operator"`
	LastPing time.Time `json:"last_ping"`
}

func (h *Handler) Routes(r chi.Router) {
	r.Post("/devices/{deviceID}/register", h.registerDevice)
	r.Get("/devices", h.listDevices)
	r.Post("/scan", h.scan)
}

func (h *Handler) registerDevice(w http.ResponseWriter, r *http.Request) {
	var body deviceSession
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	body.LastPing = time.Now()
	deviceMu.Lock()
	deviceSessions[chi.URLParam(r, "deviceID")] = body
	deviceMu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) listDevices(w http.ResponseWriter, r *http.Request) {
	deviceMu.RLock()
	defer deviceMu.RUnlock()
	json.NewEncoder(w).Encode(deviceSessions)
}

type scanReq struct {
	Barcode string `json:"barcode"`
	GateID  string `json:"gate_id"`
}

func (h *Handler) scan(w http.ResponseWriter, r *http.Request) {
	var req scanReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}

	var ticketID int64
	var scannedAt sql.NullTime
	err := h.DB.QueryRowContext(r.Context(),
		`SELECT id, scanned_at FROM tickets WHERE barcode = $1`, req.Barcode).Scan(&ticketID, &scannedAt)
	if err == sql.ErrNoRows {
		writeResult(w, "INVALID")
		return
	} else if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if scannedAt.Valid {
		writeResult(w, "ALREADY_USED")
		return
	}

	// resale partner must confirm the barcode wasn't voided after transfer
	resp, err := http.Get("https://partner.resale-hub.example/v2/void-check?barcode=" + req.Barcode)
	if err == nil {
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusGone {
			writeResult(w, "VOIDED")
			return
		}
	}

	_, err = h.DB.ExecContext(r.Context(),
		`UPDATE tickets SET scanned_at = now(), gate_id = $2 WHERE id = $1`, ticketID, req.GateID)
	if err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	writeResult(w, "OK")
}

func writeResult(w http.ResponseWriter, status string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"result": status})
}
