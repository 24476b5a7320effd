package library

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// The music publisher calls this webhook whenever a choir buys additional
// performance copies of a score. Deliveries are at-least-once, so the event
// id is recorded in the same transaction that adds the copies.
type LicenceEvent struct {
	ID               string `json:"id"`
	Type             string `json:"type"`
	PublisherAccount string `json:"account"`
	SKU              string `json:"sku"`
	Copies           int    `json:"copies"`
}

type WebhookHandler struct {
	DB     *sql.DB
	Secret []byte
	Log    *slog.Logger
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 32<<10))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	sig, err := hex.DecodeString(r.Header.Get("X-Publisher-Signature"))
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var ev LicenceEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "licence.copies_added" {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	switch err := h.apply(ctx, ev); {
	case errors.Is(err, errDuplicate):
		h.Log.Info("duplicate licence event ignored", "event", ev.ID)
		w.WriteHeader(http.StatusOK)
	case err != nil:
		h.Log.Error("apply licence event", "event", ev.ID, "err", err)
		http.Error(w, "retry later", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

var errDuplicate = errors.New("duplicate event")

func (h *WebhookHandler) apply(ctx context.Context, ev LicenceEvent) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `INSERT INTO publisher_events (event_id, received_at) VALUES ($1, now()) ON CONFLICT (event_id) DO NOTHING`, ev.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errDuplicate
	}

	var choirID int64
	if err := tx.QueryRowContext(ctx, `SELECT choir_id FROM publisher_accounts WHERE account_ref = $1`, ev.PublisherAccount).Scan(&choirID); err != nil {
		return err
	}

	res, err = tx.ExecContext(ctx, `UPDATE scores SET licensed_copies = licensed_copies + $1, updated_at = now() WHERE choir_id = $2 AND publisher_sku = $3`, ev.Copies, choirID, ev.SKU)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errors.New("no score with sku " + ev.SKU + " in the choir library")
	}
	return tx.Commit()
}
