package billing

import (
	"io"
	"net/http"
	"os"

	"github.com/jmoiron/sqlx"
	"github.com/stripe/stripe-go/v76/webhook"
)

type WebhookHandler struct {
	DB *sqlx.DB
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WHSEC"))
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	tx, err := h.DB.BeginTxx(r.Context(), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(r.Context(),
		`INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING`, event.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		w.WriteHeader(http.StatusOK) // duplicate delivery
		return
	}
	if event.Type == "invoice.paid" {
		customer := event.Data.Object["customer"].(string)
		if _, err := tx.ExecContext(r.Context(),
			`UPDATE accounts SET credits = credits + 100 WHERE stripe_customer = $1`, customer); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
