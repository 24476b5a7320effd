package tuning

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

// WebhookHandler receives payment notifications from the card processor for
// piano tuning visits. The customer pays after the visit; the tuner's share
// is credited to their payout balance and paid out weekly.
type WebhookHandler struct {
	DB     *sql.DB
	Secret []byte
	Mailer Mailer
	Log    *slog.Logger
}

type Mailer interface {
	SendReceipt(ctx context.Context, visitID int64, amountCents int64) error
}

type paymentEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		VisitID     int64 `json:"visit_id"`
		AmountCents int64 `json:"amount_cents"`
	} `json:"data"`
}

const tunerShare = 0.8

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if !h.validSignature(body, r.Header.Get("X-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev paymentEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "payment.succeeded" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := h.applyPayment(r.Context(), ev); err != nil {
		h.Log.Error("apply payment", "event", ev.ID, "err", err)
		http.Error(w, "retry later", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (h *WebhookHandler) applyPayment(ctx context.Context, ev paymentEvent) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var tunerID int64
	if err := tx.QueryRowContext(ctx,
		`UPDATE visits SET paid_at = now(), amount_paid_cents = $2 WHERE id = $1 RETURNING tuner_id`,
		ev.Data.VisitID, ev.Data.AmountCents,
	).Scan(&tunerID); err != nil {
		return err
	}

	var balance int64
	if err := tx.QueryRowContext(ctx,
		`SELECT balance_cents FROM tuner_balances WHERE tuner_id = $1`, tunerID,
	).Scan(&balance); err != nil {
		return err
	}
	balance += int64(float64(ev.Data.AmountCents) * tunerShare)
	if _, err := tx.ExecContext(ctx,
		`UPDATE tuner_balances SET balance_cents = $1, updated_at = now() WHERE tuner_id = $2`,
		balance, tunerID,
	); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return h.Mailer.SendReceipt(ctx, ev.Data.VisitID, ev.Data.AmountCents)
}

func (h *WebhookHandler) validSignature(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	expected := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(expected), []byte(sig))
}
