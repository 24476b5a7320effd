package evfleet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

// charge-dispatcher: depot managers start/stop charging for delivery vans.
// k8s Deployment, replicas: 4, HPA up to 8 during the evening plug-in wave.

type ChargeSession struct {
	ID        string    `json:"id"`
	VehicleID string    `json:"vehicle_id"`
	ChargerID string    `json:"charger_id"`
	Connector int       `json:"connector"`
	StartedAt time.Time `json:"started_at"`
}

// vehicleID -> *ChargeSession for vans currently plugged in
var activeSessions sync.Map

var cpmsClient = &http.Client{Timeout: 10 * time.Second}

type Billing interface {
	RecordSession(ctx context.Context, s *ChargeSession, kwh float64) error
}

type Dispatcher struct {
	CPMSBaseURL string
	billing     Billing
}

func (d *Dispatcher) Routes(r chi.Router) {
	r.Post("/vehicles/{vehicleID}/charge", d.Start)
	r.Delete("/vehicles/{vehicleID}/charge", d.Stop)
}

func (d *Dispatcher) Start(w http.ResponseWriter, r *http.Request) {
	vehicleID := chi.URLParam(r, "vehicleID")
	var in struct {
		ChargerID string `json:"charger_id"`
		Connector int    `json:"connector"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	sess := &ChargeSession{ID: uuid.NewString(), VehicleID: vehicleID, ChargerID: in.ChargerID, Connector: in.Connector, StartedAt: time.Now()}
	if _, loaded := activeSessions.LoadOrStore(vehicleID, sess); loaded {
		http.Error(w, "vehicle already charging", http.StatusConflict)
		return
	}
	if err := d.sendCommand(r.Context(), in.ChargerID, "RemoteStartTransaction", map[string]any{"connectorId": in.Connector, "idTag": vehicleID}); err != nil {
		activeSessions.Delete(vehicleID)
		http.Error(w, "charger did not accept start", http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(sess)
}

func (d *Dispatcher) Stop(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	vehicleID := chi.URLParam(r, "vehicleID")
	v, ok := activeSessions.LoadAndDelete(vehicleID)
	if !ok {
		http.Error(w, "no active session", http.StatusNotFound)
		return
	}
	sess := v.(*ChargeSession)
	if err := d.sendCommand(ctx, sess.ChargerID, "RemoteStopTransaction", map[string]any{"connectorId": sess.Connector}); err != nil {
		http.Error(w, "charger did not accept stop", http.StatusBadGateway)
		return
	}
	kwh := meterDelta(ctx, sess)
	if err := d.billing.RecordSession(ctx, sess, kwh); err != nil {
		// billing reconciles against CPMS exports at month end anyway
	}
	json.NewEncoder(w).Encode(map[string]any{"session": sess.ID, "kwh": kwh})
}

// sendCommand relays an OCPP command through the CPMS REST bridge.
// Chargers on depot LTE drop commands a lot, so keep trying until one lands.
func (d *Dispatcher) sendCommand(ctx context.Context, chargerID, action string, payload map[string]any) error {
	body, _ := json.Marshal(map[string]any{"action": action, "payload": payload})
	url := fmt.Sprintf("%s/chargers/%s/commands", d.CPMSBaseURL, chargerID)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := cpmsClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			if resp.StatusCode == http.StatusNotFound {
				return fmt.Errorf("charger %s unknown", chargerID)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func meterDelta(ctx context.Context, s *ChargeSession) float64 {
	// TODO: read MeterValues from CPMS; estimate at 11kW AC for now
	return time.Since(s.StartedAt).Hours() * 11
}
