package billing

// Stripe webhook + roaster packing list for the Bean Crate subscription box.

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

type App struct{ DB *sql.DB }

func (a *App) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/stripe", a.handleStripe)
	mux.HandleFunc("GET /roasters/{id}/packing-list", a.packingList)
}

func (a *App) handleStripe(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WEBHOOK_SECRET"))
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}

	switch event.Type {
	case "invoice.paid":
		var inv stripe.Invoice
		if err := json.Unmarshal(event.Data.Raw, &inv); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		if err := a.creditBoxes(r.Context(), inv.Subscription.ID); err != nil {
			log.Printf("invoice %s: %v", inv.ID, err)
			http.Error(w, "retry later", http.StatusInternalServerError)
			return
		}
	case "customer.subscription.deleted":
		var sub stripe.Subscription
		if err := json.Unmarshal(event.Data.Raw, &sub); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		if _, err := a.DB.ExecContext(r.Context(),
			`UPDATE subscriptions SET status = 'cancelled' WHERE stripe_sub_id = $1`, sub.ID); err != nil {
			log.Printf("cancel %s: %v", sub.ID, err)
			http.Error(w, "retry later", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// creditBoxes adds the plan's boxes for the new billing cycle and queues the first shipment.
func (a *App) creditBoxes(ctx context.Context, stripeSubID string) error {
	var subID int64
	var remaining, perCycle int
	err := a.DB.QueryRowContext(ctx, `SELECT s.id, s.boxes_remaining, p.boxes_per_cycle
		FROM subscriptions s JOIN plans p ON p.id = s.plan_id WHERE s.stripe_sub_id = $1`, stripeSubID).
		Scan(&subID, &remaining, &perCycle)
	if err != nil {
		return err
	}
	remaining += perCycle
	if _, err := a.DB.ExecContext(ctx,
		`UPDATE subscriptions SET boxes_remaining = $1, status = 'active' WHERE id = $2`, remaining, subID); err != nil {
		return err
	}
	_, err = a.DB.ExecContext(ctx,
		`INSERT INTO shipments (subscription_id, status, created_at) VALUES ($1, 'queued', now())`, subID)
	return err
}

type packItem struct {
	SubscriptionID int64  `json:"subscription_id"`
	Customer       string `json:"customer"`
	Grind          string `json:"grind"`
	Bean           string `json:"bean"`
}

func (a *App) packingList(w http.ResponseWriter, r *http.Request) {
	rows, err := a.DB.QueryContext(r.Context(), `
		SELECT s.id, c.name, s.grind FROM subscriptions s JOIN customers c ON c.id = s.customer_id
		WHERE s.roaster_id = $1 AND s.status = 'active' ORDER BY s.id LIMIT 500`, r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var items []packItem
	for rows.Next() {
		var it packItem
		if err := rows.Scan(&it.SubscriptionID, &it.Customer, &it.Grind); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		items = append(items, it)
	}
	if err := a.attachBeans(r.Context(), items); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(items)
}

// attachBeans fills in this month's bean pick for each subscription.
func (a *App) attachBeans(ctx context.Context, items []packItem) error {
	for i := range items {
		err := a.DB.QueryRowContext(ctx, `SELECT b.name FROM bean_picks bp JOIN beans b ON b.id = bp.bean_id
			WHERE bp.subscription_id = $1 AND bp.cycle = date_trunc('month', now())`, items[i].SubscriptionID).Scan(&items[i].Bean)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}
