package donations

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// WebhookHandler receives Stripe events for the donation drives.
// Mounted at POST /webhooks/stripe.
type WebhookHandler struct {
	DB     *sql.DB
	Secret string
	Mailer interface {
		SendReceipt(ctx context.Context, email, driveID string, amountCents int64) error
	}
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read error", http.StatusServiceUnavailable)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), h.Secret)
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}

	switch event.Type {
	case "checkout.session.completed":
		var sess stripe.CheckoutSession
		if err := json.Unmarshal(event.Data.Raw, &sess); err != nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		driveID := sess.Metadata["drive_id"]
		if err := h.recordDonation(r.Context(), driveID, &sess); err != nil {
			log.Printf("stripe webhook %s: record donation: %v", event.ID, err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		if sess.CustomerDetails != nil && sess.CustomerDetails.Email != "" {
			if err := h.Mailer.SendReceipt(r.Context(), sess.CustomerDetails.Email, driveID, sess.AmountTotal); err != nil {
				log.Printf("stripe webhook %s: receipt: %v", event.ID, err)
			}
		}
	default:
		// other event types are ignored for now
	}
	w.WriteHeader(http.StatusOK)
}

// recordDonation stores the gift and bumps the drive's thermometer.
func (h *WebhookHandler) recordDonation(ctx context.Context, driveID string, sess *stripe.CheckoutSession) error {
	email := ""
	if sess.CustomerDetails != nil {
		email = sess.CustomerDetails.Email
	}
	_, err := h.DB.ExecContext(ctx, `
		INSERT INTO donations (drive_id, donor_email, amount_cents, currency, stripe_session_id, created_at)
		VALUES ($1, $2, $3, $4, $5, now())`,
		driveID, email, sess.AmountTotal, string(sess.Currency), sess.ID)
	if err != nil {
		return err
	}

	var raised int64
	var donors int
	err = h.DB.QueryRowContext(ctx,
		`SELECT raised_cents, donor_count FROM drives WHERE id = $1`, driveID).Scan(&raised, &donors)
	if err != nil {
		return err
	}
	raised += sess.AmountTotal
	donors++
	_, err = h.DB.ExecContext(ctx,
		`UPDATE drives SET raised_cents = $1, donor_count = $2, updated_at = now() WHERE id = $3`,
		raised, donors, driveID)
	return err
}
