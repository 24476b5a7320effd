// Here's an idempotent version of the Stripe webhook for the giving platform.
//
// Stripe delivers events at least once, so the handler records event.ID in
// stripe_events (PRIMARY KEY event_id) inside the same transaction as the side effects.
// A redelivered event hits ON CONFLICT DO NOTHING, affects 0 rows, and we return 200
// without touching the ledger again. Any failure rolls back and returns 500 so Stripe retries.
package giving

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"

	"github.com/stripe/stripe-go/v78"
	"github.com/stripe/stripe-go/v78/webhook"
)

var errAlreadyProcessed = errors.New("event already processed")

type WebhookHandler struct {
	DB     *sql.DB
	Secret string // STRIPE_WEBHOOK_SECRET
}

func NewWebhookHandler(db *sql.DB) *WebhookHandler {
	return &WebhookHandler{DB: db, Secret: os.Getenv("STRIPE_WEBHOOK_SECRET")}
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
	if err != nil {
		http.Error(w, "payload too large", http.StatusRequestEntityTooLarge)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), h.Secret)
	if err != nil {
		http.Error(w, "invalid signature", http.StatusBadRequest)
		return
	}
	if event.Type != "payment_intent.succeeded" {
		w.WriteHeader(http.StatusOK) // not interesting to us
		return
	}

	var pi stripe.PaymentIntent
	if err := json.Unmarshal(event.Data.Raw, &pi); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	err = h.recordGift(r.Context(), event.ID, &pi)
	switch {
	case errors.Is(err, errAlreadyProcessed):
		slog.Info("duplicate stripe event ignored", "event", event.ID)
	case err != nil:
		slog.Error("record gift failed", "event", event.ID, "err", err)
		http.Error(w, "temporary failure", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// recordGift inserts the donation and bumps the fund total exactly once per Stripe event.
func (h *WebhookHandler) recordGift(ctx context.Context, eventID string, pi *stripe.PaymentIntent) error {
	churchID, err := strconv.ParseInt(pi.Metadata["church_id"], 10, 64)
	if err != nil {
		return err
	}
	fundID := pi.Metadata["fund_id"]

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO stripe_events (event_id, type, received_at) VALUES ($1, $2, now()) ON CONFLICT (event_id) DO NOTHING`,
		eventID, "payment_intent.succeeded")
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errAlreadyProcessed
	}

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO donations (church_id, fund_id, donor_email, amount_cents, stripe_payment_intent)
		 VALUES ($1, $2, $3, $4, $5)`, churchID, fundID, pi.ReceiptEmail, pi.AmountReceived, pi.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE fund_totals SET total_cents = total_cents + $1, gifts = gifts + 1
		 WHERE church_id = $2 AND fund_id = $3`, pi.AmountReceived, churchID, fundID); err != nil {
		return err
	}
	return tx.Commit()
}
