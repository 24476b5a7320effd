package billing

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Stripe webhooks for Brook Farm egg box subscriptions (half-dozen or dozen,
// weekly or fortnightly). Stripe delivers at least once, so every event ID is
// recorded in stripe_events inside the same transaction as its effects.

type WebhookHandler struct {
	db     *sql.DB
	secret string
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), h.secret)
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	if err := h.process(ctx, event); err != nil {
		// Non-2xx makes Stripe redeliver later; nothing was committed.
		log.Printf("stripe event %s (%s): %v", event.ID, event.Type, err)
		http.Error(w, "processing failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (h *WebhookHandler) process(ctx context.Context, event stripe.Event) error {
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO stripe_events (event_id, event_type, received_at)
		 VALUES ($1, $2, now())
		 ON CONFLICT (event_id) DO NOTHING`, event.ID, string(event.Type))
	if err != nil {
		return fmt.Errorf("record event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return nil // already handled on an earlier delivery
	}

	switch event.Type {
	case "customer.subscription.updated", "customer.subscription.deleted":
		var sub stripe.Subscription
		if err := json.Unmarshal(event.Data.Raw, &sub); err != nil {
			return fmt.Errorf("decode subscription: %w", err)
		}
		boxes := int64(0)
		if sub.Items != nil && len(sub.Items.Data) > 0 {
			boxes = sub.Items.Data[0].Quantity
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE egg_subscriptions
			   SET status = $1, boxes_per_delivery = $2,
			       current_period_end = to_timestamp($3), updated_at = now()
			 WHERE stripe_subscription_id = $4`,
			string(sub.Status), boxes, sub.CurrentPeriodEnd, sub.ID)
		if err != nil {
			return fmt.Errorf("update subscription %s: %w", sub.ID, err)
		}
	case "invoice.paid":
		var inv stripe.Invoice
		if err := json.Unmarshal(event.Data.Raw, &inv); err != nil {
			return fmt.Errorf("decode invoice: %w", err)
		}
		if inv.Subscription == nil {
			return nil // one-off farm shop invoice, not an egg box
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO egg_invoices (stripe_invoice_id, stripe_subscription_id, amount_paid_pence, paid_at)
			VALUES ($1, $2, $3, now())
			ON CONFLICT (stripe_invoice_id) DO NOTHING`,
			inv.ID, inv.Subscription.ID, inv.AmountPaid)
		if err != nil {
			return fmt.Errorf("record invoice %s: %w", inv.ID, err)
		}
	}
	return tx.Commit()
}

// PruneEvents is run nightly by the scheduler; Stripe stops retrying an
// event after three days, so a month of IDs is plenty for deduplication.
func PruneEvents(ctx context.Context, db *sql.DB) error {
	res, err := db.ExecContext(ctx,
		`DELETE FROM stripe_events WHERE received_at < now() - interval '30 days'`)
	if err != nil {
		return fmt.Errorf("prune stripe_events: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("prune stripe_events: %w", err)
	}
	log.Printf("pruned %d stripe events", n)
	return nil
}
