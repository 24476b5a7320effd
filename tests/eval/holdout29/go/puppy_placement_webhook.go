package placements

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// CRMEvent is delivered by the volunteer CRM whenever a guide-dog puppy is
// placed with (or moved between) puppy walker households. The CRM redelivers
// on any non-2xx and occasionally sends the same event twice.
type CRMEvent struct {
	EventID   string    `json:"event_id"`
	Type      string    `json:"type"` // "placement.started", "placement.ended"
	PuppyID   int64     `json:"puppy_id"`
	WalkerID  int64     `json:"walker_id"`
	Region    string    `json:"region"`
	Effective time.Time `json:"effective_at"`
}

type WebhookHandler struct {
	DB     *sql.DB
	Secret []byte
	Log    *slog.Logger
}

func (h *WebhookHandler) verify(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig))
}

// ServeHTTP handles POST /webhooks/crm.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<10))
	if err != nil || !h.verify(body, r.Header.Get("X-CRM-Signature")) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	var ev CRMEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.EventID == "" {
		http.Error(w, "invalid event", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	applied, err := h.apply(ctx, ev)
	if err != nil {
		h.Log.Error("crm webhook failed", "event_id", ev.EventID, "err", err)
		http.Error(w, "temporary failure", http.StatusInternalServerError)
		return
	}
	h.Log.Info("crm webhook", "event_id", ev.EventID, "type", ev.Type, "applied", applied)
	w.WriteHeader(http.StatusOK)
}

// apply records the event id and its effect in one transaction; a redelivered
// event hits the primary key on processed_events and is acknowledged as-is.
func (h *WebhookHandler) apply(ctx context.Context, ev CRMEvent) (bool, error) {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO processed_events (source, event_id, received_at)
		 VALUES ('crm', $1, now())
		 ON CONFLICT (source, event_id) DO NOTHING`, ev.EventID)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, err
	} else if n == 0 {
		return false, nil // already processed
	}

	switch ev.Type {
	case "placement.started":
		_, err = tx.ExecContext(ctx,
			`INSERT INTO puppy_placements (puppy_id, walker_id, region, started_at)
			 VALUES ($1, $2, $3, $4)
			 ON CONFLICT (puppy_id) WHERE ended_at IS NULL
			 DO UPDATE SET walker_id = EXCLUDED.walker_id, region = EXCLUDED.region, started_at = EXCLUDED.started_at`,
			ev.PuppyID, ev.WalkerID, ev.Region, ev.Effective)
	case "placement.ended":
		_, err = tx.ExecContext(ctx,
			`UPDATE puppy_placements SET ended_at = $3
			  WHERE puppy_id = $1 AND walker_id = $2 AND ended_at IS NULL`,
			ev.PuppyID, ev.WalkerID, ev.Effective)
	default:
		h.Log.Warn("crm webhook: ignoring event type", "type", ev.Type, "event_id", ev.EventID)
	}
	if err != nil {
		return false, err
	}
	return true, tx.Commit()
}
