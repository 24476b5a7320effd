package fridge

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

// The food-rescue app calls this webhook each time a volunteer logs a drop-off
// at one of the community fridges. Deliveries are at-least-once.
type DonationEvent struct {
	ID       string `json:"id"`
	FridgeID int64  `json:"fridge_id"`
	Category string `json:"category"` // bakery | produce | dairy | tins
	Portions int    `json:"portions"`
	LoggedBy string `json:"logged_by"` // volunteer handle
}

type Webhook struct {
	DB     *sql.DB
	Secret []byte
	Log    *slog.Logger
}

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<10))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("X-Signature-SHA256"))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var ev DonationEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	applied, err := h.apply(ctx, ev)
	if err != nil {
		// A 5xx makes the sender redeliver later, which is safe.
		h.Log.Error("donation webhook failed", "event", ev.ID, "err", err)
		http.Error(w, "temporary failure", http.StatusInternalServerError)
		return
	}
	if !applied {
		h.Log.Info("duplicate donation event ignored", "event", ev.ID)
	}
	w.WriteHeader(http.StatusNoContent)
}

// apply records the event id and its effects in one transaction. A redelivered
// event hits the primary key on processed_events and changes nothing.
func (h *Webhook) apply(ctx context.Context, ev DonationEvent) (bool, error) {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO processed_events (event_id, source, received_at)
		 VALUES ($1, 'food-rescue', now())
		 ON CONFLICT (event_id) DO NOTHING`, ev.ID)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, err
	} else if n == 0 {
		return false, nil
	}

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO fridge_donations (event_id, fridge_id, category, portions, logged_by)
		 VALUES ($1, $2, $3, $4, $5)`,
		ev.ID, ev.FridgeID, ev.Category, ev.Portions, ev.LoggedBy); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE fridges SET portions_in_stock = portions_in_stock + $1, last_drop_at = now() WHERE id = $2`,
		ev.Portions, ev.FridgeID); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
