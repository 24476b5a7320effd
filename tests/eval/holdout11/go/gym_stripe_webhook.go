package billing

import (
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// StripeWebhook handles membership billing events for all club locations.
func StripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 65536))
	if err != nil {
		http.Error(w, "read error", http.StatusServiceUnavailable)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WEBHOOK_SECRET"))
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	defer db.Close()

	switch event.Type {
	case "invoice.paid":
		var inv stripe.Invoice
		if err := json.Unmarshal(event.Data.Raw, &inv); err != nil {
			http.Error(w, "bad invoice", http.StatusBadRequest)
			return
		}
		// each paid invoice adds one billing period to the membership and
		// awards the monthly guest passes
		_, err = db.ExecContext(r.Context(), `
			UPDATE memberships
			   SET paid_through = GREATEST(paid_through, now()) + interval '1 month',
			       guest_passes = guest_passes + 2
			 WHERE stripe_customer_id = $1`, inv.Customer.ID)
		if err != nil {
			log.Printf("invoice.paid %s: %v", inv.ID, err)
			http.Error(w, "db", http.StatusInternalServerError)
			return
		}
		_, err = db.ExecContext(r.Context(),
			`INSERT INTO payments (stripe_customer_id, amount_cents, paid_at) VALUES ($1, $2, $3)`,
			inv.Customer.ID, inv.AmountPaid, time.Unix(inv.StatusTransitions.PaidAt, 0))
		if err != nil {
			log.Printf("payments insert %s: %v", inv.ID, err)
			http.Error(w, "db", http.StatusInternalServerError)
			return
		}

	case "customer.subscription.deleted":
		var sub stripe.Subscription
		if err := json.Unmarshal(event.Data.Raw, &sub); err != nil {
			http.Error(w, "bad subscription", http.StatusBadRequest)
			return
		}
		if _, err := db.ExecContext(r.Context(),
			`UPDATE memberships SET status = 'cancelled', cancelled_at = now() WHERE stripe_customer_id = $1`,
			sub.Customer.ID); err != nil {
			log.Printf("cancel %s: %v", sub.ID, err)
			http.Error(w, "db", http.StatusInternalServerError)
			return
		}
	}

	w.WriteHeader(http.StatusOK)
}
