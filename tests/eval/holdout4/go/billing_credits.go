package billing

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
	"github.com/uptrace/bun"
)

var ErrInsufficientCredits = errors.New("billing: insufficient credits")

type Workspace struct {
	bun.BaseModel `bun:"table:workspaces"`

	ID               int64  `bun:",pk,autoincrement"`
	Name             string `bun:",notnull"`
	StripeCustomerID string `bun:"stripe_customer_id"`
	CreditBalance    int64  `bun:"credit_balance,notnull"`
}

type LedgerEntry struct {
	bun.BaseModel `bun:"table:credit_ledger"`

	ID          int64     `bun:",pk,autoincrement"`
	WorkspaceID int64     `bun:",notnull"`
	Delta       int64     `bun:",notnull"`
	Reason      string    `bun:",notnull"`
	CreatedAt   time.Time `bun:",nullzero,notnull,default:current_timestamp"`
}

type Service struct {
	DB  *bun.DB
	Log *slog.Logger
}

// ConsumeCredits charges a workspace for a metered pipeline run.
// Called by the job runner once per finished run.
func (s *Service) ConsumeCredits(ctx context.Context, workspaceID, amount int64, reason string) error {
	ws := new(Workspace)
	if err := s.DB.NewSelect().Model(ws).Where("id = ?", workspaceID).Scan(ctx); err != nil {
		return err
	}
	if ws.CreditBalance < amount {
		return ErrInsufficientCredits
	}

	ws.CreditBalance -= amount
	if _, err := s.DB.NewUpdate().Model(ws).Column("credit_balance").WherePK().Exec(ctx); err != nil {
		return err
	}

	_, err := s.DB.NewInsert().Model(&LedgerEntry{
		WorkspaceID: workspaceID,
		Delta:       -amount,
		Reason:      reason,
	}).Exec(ctx)
	return err
}

// HandleStripeWebhook tops up credits when a credit-pack invoice is paid.
// POST /webhooks/stripe
func (s *Service) HandleStripeWebhook(w http.ResponseWriter, r *http.Request) {
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

	if event.Type == "invoice.paid" {
		var inv stripe.Invoice
		if err := json.Unmarshal(event.Data.Raw, &inv); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		credits := inv.AmountPaid / 10 // 1 credit = 10 cents

		err := s.DB.RunInTx(r.Context(), nil, func(ctx context.Context, tx bun.Tx) error {
			ws := new(Workspace)
			if err := tx.NewUpdate().Model(ws).
				Set("credit_balance = credit_balance + ?", credits).
				Where("stripe_customer_id = ?", inv.Customer.ID).
				Returning("id").Scan(ctx); err != nil {
				return err
			}
			_, err := tx.NewInsert().Model(&LedgerEntry{
				WorkspaceID: ws.ID, Delta: credits, Reason: "stripe:" + inv.ID,
			}).Exec(ctx)
			return err
		})
		if err != nil {
			s.Log.Error("credit top-up failed", "invoice", inv.ID, "err", err)
			http.Error(w, "retry later", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
