package roster

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"time"
)

// ShiftEvent is what the rota provider posts when a volunteer driver picks
// up, drops or swaps a minibus run. The provider re-sends an event until it
// gets a 2xx back.
type ShiftEvent struct {
	EventID  string    `json:"event_id"`
	Type     string    `json:"type"` // shift.claimed | shift.released
	ShiftRef string    `json:"shift_ref"`
	DriverID int64     `json:"driver_id"`
	Hours    float64   `json:"hours"`
	SentAt   time.Time `json:"sent_at"`
}

type WebhookHandler struct {
	DB     *sql.DB
	Secret []byte
}

func (h *WebhookHandler) verify(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}

func (h *WebhookHandler) HandleRotaWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if !h.verify(body, r.Header.Get("X-Rota-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var ev ShiftEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	switch ev.Type {
	case "shift.claimed":
		if _, err := h.DB.ExecContext(ctx,
			`UPDATE minibus_shifts SET driver_id = $1, claimed_at = $2 WHERE shift_ref = $3`,
			ev.DriverID, ev.SentAt, ev.ShiftRef); err != nil {
			log.Printf("roster: assign shift %s: %v", ev.ShiftRef, err)
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		// Drivers are capped at 20 volunteer hours a month for insurance,
		// so keep the running total on the driver row.
		_, hoursErr := h.DB.ExecContext(ctx,
			`UPDATE drivers SET hours_this_month = hours_this_month + $1 WHERE id = $2`,
			ev.Hours, ev.DriverID)
		if hoursErr != nil {
			w.WriteHeader(http.StatusOK)
			return
		}
	case "shift.released":
		if _, err := h.DB.ExecContext(ctx,
			`UPDATE minibus_shifts SET driver_id = NULL, claimed_at = NULL WHERE shift_ref = $1`,
			ev.ShiftRef); err != nil {
			log.Printf("roster: release shift %s: %v", ev.ShiftRef, err)
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		if _, err := h.DB.ExecContext(ctx,
			`UPDATE drivers SET hours_this_month = GREATEST(hours_this_month - $1, 0) WHERE id = $2`,
			ev.Hours, ev.DriverID); err != nil {
			log.Printf("roster: hours for driver %d: %v", ev.DriverID, err)
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
	default:
		log.Printf("roster: ignoring event type %q", ev.Type)
	}

	w.WriteHeader(http.StatusOK)
}
