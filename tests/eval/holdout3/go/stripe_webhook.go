package billing

import (
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

var planCredits = map[string]int64{
	"starter": 1_000,
	"pro":     10_000,
	"team":    50_000,
}

// HandleStripeWebhook is mounted at POST /webhooks/stripe.
// It verifies the signature and provisions credits after checkout.
func HandleStripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "read error", http.StatusServiceUnavailable)
		return
	}

	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WEBHOOK_SECRET"))
	if err != nil {
		log.Printf("stripe webhook: bad signature: %v", err)
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}

	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Printf("stripe webhook: db open: %v", err)
		http.Error(w, "db unavailable", http.StatusInternalServerError)
		return
	}
	defer db.Close()

	ctx := r.Context()
	switch event.Type {
	case "checkout.session.completed":
		var sess stripe.CheckoutSession
		if err := json.Unmarshal(event.Data.Raw, &sess); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		credits := planCredits[sess.Metadata["plan"]]

		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		defer tx.Rollback()

		var accountID int64
		err = tx.QueryRowContext(ctx,
			`UPDATE accounts SET credits = credits + $1, plan = $2
			 WHERE stripe_customer_id = $3 RETURNING id`,
			credits, sess.Metadata["plan"], sess.Customer.ID).Scan(&accountID)
		if err != nil {
			log.Printf("stripe webhook: credit account %s: %v", sess.Customer.ID, err)
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO credit_ledger (account_id, delta, reason) VALUES ($1, $2, 'checkout')`,
			accountID, credits); err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}
		if err := tx.Commit(); err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}

	case "invoice.payment_failed":
		var inv stripe.Invoice
		if err := json.Unmarshal(event.Data.Raw, &inv); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		if _, err := db.ExecContext(ctx,
			`UPDATE accounts SET past_due = true WHERE stripe_customer_id = $1`, inv.Customer.ID); err != nil {
			http.Error(w, "db error", http.StatusInternalServerError)
			return
		}

	default:
		// not interested
	}

	w.WriteHeader(http.StatusOK)
}
