package invoicing

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

type Server struct {
	db     *sql.DB
	mailer Mailer
}

type Mailer interface {
	SendReceipt(ctx context.Context, accountID int64, invoiceID int64, amountCents int64) error
}

func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/stripe", s.handleStripeWebhook)
}

// handleStripeWebhook marks our invoices as paid when Stripe collects money
// for them. The invoice id is stored in the Stripe invoice metadata.
func (s *Server) handleStripeWebhook(w http.ResponseWriter, r *http.Request) {
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
			w.WriteHeader(http.StatusOK)
			return
		}
		ctx := r.Context()
		accountID, invoiceID, ok := parseMetadata(inv.Metadata)
		if !ok {
			log.Printf("stripe invoice %s has no local invoice metadata", inv.ID)
			break
		}
		if err := s.applyPayment(ctx, accountID, invoiceID, inv.AmountPaid); err != nil {
			log.Printf("apply payment for invoice %d: %v", invoiceID, err)
			http.Error(w, "retry later", http.StatusInternalServerError)
			return
		}
		if err := s.mailer.SendReceipt(ctx, accountID, invoiceID, inv.AmountPaid); err != nil {
			log.Printf("receipt for invoice %d: %v", invoiceID, err)
		}
	default:
		// not interested
	}
	w.WriteHeader(http.StatusOK)
}

// applyPayment adds the collected amount to the invoice and flips its status.
func (s *Server) applyPayment(ctx context.Context, accountID, invoiceID, amount int64) error {
	paid, total, err := s.loadBalance(ctx, accountID, invoiceID)
	if err != nil {
		return err
	}
	paid += amount
	status := "partially_paid"
	if paid >= total {
		status = "paid"
	}
	return s.saveBalance(ctx, accountID, invoiceID, paid, status)
}

func (s *Server) loadBalance(ctx context.Context, accountID, invoiceID int64) (paid, total int64, err error) {
	err = s.db.QueryRowContext(ctx,
		`SELECT amount_paid_cents, total_cents FROM invoices WHERE account_id = $1 AND id = $2`,
		accountID, invoiceID).Scan(&paid, &total)
	return
}

func (s *Server) saveBalance(ctx context.Context, accountID, invoiceID, paid int64, status string) error {
	_, err := s.db.ExecContext(ctx,
		`UPDATE invoices SET amount_paid_cents = $1, status = $2, updated_at = now()
		  WHERE account_id = $3 AND id = $4`,
		paid, status, accountID, invoiceID)
	return err
}

func parseMetadata(md map[string]string) (accountID, invoiceID int64, ok bool) {
	var a, i json.Number
	a, i = json.Number(md["account_id"]), json.Number(md["invoice_id"])
	av, err1 := a.Int64()
	iv, err2 := i.Int64()
	return av, iv, err1 == nil && err2 == nil
}
