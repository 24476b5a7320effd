// Here's a production-ready Stripe webhook handler for the print-on-demand
// shop. Key points:
//
//   - The signature is verified with webhook.ConstructEvent before anything else.
//   - Stripe delivers events at least once, so every event ID is recorded in
//     stripe_events (PRIMARY KEY on event_id) in the same transaction as the
//     side effect. A redelivery hits ON CONFLICT DO NOTHING and we return 200
//     without creating a second print job.
//   - Rendering/printing is NOT done here: we insert a row into print_jobs and
//     the render workers pick it up, so the handler answers in milliseconds.
//   - Errors are logged and returned as 500 so Stripe retries.
package printshop

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

type WebhookHandler struct {
	DB     *sql.DB // pooled, created once at startup
	Secret string
}

func NewWebhookHandler(db *sql.DB) *WebhookHandler {
	return &WebhookHandler{DB: db, Secret: os.Getenv("STRIPE_WEBHOOK_SECRET")}
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 65536))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), h.Secret)
	if err != nil {
		http.Error(w, "invalid signature", http.StatusBadRequest)
		return
	}
	if event.Type != "checkout.session.completed" {
		w.WriteHeader(http.StatusOK)
		return
	}

	var sess stripe.CheckoutSession
	if err := json.Unmarshal(event.Data.Raw, &sess); err != nil {
		slog.Error("stripe webhook: bad session payload", "event", event.ID, "err", err)
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	created, err := h.handleCheckoutCompleted(r.Context(), event.ID, &sess)
	if err != nil {
		slog.Error("stripe webhook failed", "event", event.ID, "session", sess.ID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	slog.Info("stripe webhook handled", "event", event.ID, "print_job_created", created)
	w.WriteHeader(http.StatusOK)
}

func (h *WebhookHandler) handleCheckoutCompleted(ctx context.Context, eventID string, sess *stripe.CheckoutSession) (bool, error) {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO stripe_events (event_id, type, received_at) VALUES ($1, $2, now())
		 ON CONFLICT (event_id) DO NOTHING`, eventID, "checkout.session.completed")
	if err != nil {
		return false, fmt.Errorf("record event: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil // already processed
	}

	orderID := sess.Metadata["order_id"]
	shopID := sess.Metadata["shop_id"]
	if _, err := tx.ExecContext(ctx,
		`UPDATE orders SET status = 'paid', stripe_session_id = $3 WHERE id = $1 AND shop_id = $2 AND status = 'pending'`,
		orderID, shopID, sess.ID); err != nil {
		return false, fmt.Errorf("mark order paid: %w", err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO print_jobs (order_id, shop_id, state) VALUES ($1, $2, 'queued')`, orderID, shopID); err != nil {
		return false, fmt.Errorf("enqueue print job: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit: %w", err)
	}
	return true, nil
}
