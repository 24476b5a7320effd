package payments

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

type WebhookHandler struct {
	DB     *sql.DB
	Secret string
	Log    *slog.Logger
}

func NewWebhookHandler(db *sql.DB, logger *slog.Logger) *WebhookHandler {
	return &WebhookHandler{DB: db, Secret: os.Getenv("STRIPE_WEBHOOK_SECRET"), Log: logger}
}

// ServeHTTP handles POST /webhooks/stripe.
//
// Stripe delivers at-least-once, so every event is recorded in
// processed_stripe_events (event_id is the primary key) in the same
// transaction that applies its effects. A redelivery hits the conflict and is
// acknowledged without doing anything.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), h.Secret)
	if err != nil {
		h.Log.Warn("stripe signature check failed", "err", err)
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()

	if err := h.handle(ctx, event); err != nil {
		// Non-2xx makes Stripe retry with its own backoff.
		h.Log.Error("stripe webhook failed", "event_id", event.ID, "type", event.Type, "err", err)
		http.Error(w, "processing failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (h *WebhookHandler) handle(ctx context.Context, event stripe.Event) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO processed_stripe_events (event_id, type, received_at)
		 VALUES ($1, $2, now()) ON CONFLICT (event_id) DO NOTHING`,
		event.ID, string(event.Type))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		h.Log.Info("duplicate stripe event ignored", "event_id", event.ID)
		return nil
	}

	switch event.Type {
	case "invoice.paid":
		var inv stripe.Invoice
		if err := json.Unmarshal(event.Data.Raw, &inv); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx,
			`UPDATE subscriptions SET status = 'active', current_period_end = to_timestamp($1)
			 WHERE stripe_subscription_id = $2`,
			inv.PeriodEnd, inv.Subscription.ID); err != nil {
			return err
		}
	case "customer.subscription.deleted":
		var sub stripe.Subscription
		if err := json.Unmarshal(event.Data.Raw, &sub); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx,
			`UPDATE subscriptions SET status = 'canceled', canceled_at = now()
			 WHERE stripe_subscription_id = $1`, sub.ID); err != nil {
			return err
		}
	default:
		// Recorded as processed so we don't look at it again.
	}

	return tx.Commit()
}
