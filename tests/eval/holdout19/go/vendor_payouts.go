package payouts

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Craft fair checkout: shoppers pay the fair, the fair owes each vendor their
// share minus the 8% booth commission. Payouts go out every Friday.

const commissionBps = 800

var books = &http.Client{Timeout: 10 * time.Second}

type Payouts struct {
	DB *sql.DB
}

func (p *Payouts) StripeHook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "read", 400)
		return
	}
	ev, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WHSEC"))
	if err != nil {
		http.Error(w, "bad signature", 400)
		return
	}
	if ev.Type != "checkout.session.completed" {
		w.WriteHeader(200)
		return
	}

	var cs stripe.CheckoutSession
	if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
		http.Error(w, "bad payload", 400)
		return
	}
	vendorID := cs.Metadata["vendor_id"]
	gross := cs.AmountTotal
	net := gross - gross*commissionBps/10000

	tx, err := p.DB.Begin()
	if err != nil {
		http.Error(w, "db", 500)
		return
	}
	_, err = tx.Exec(`INSERT INTO vendor_ledger (vendor_id, kind, gross_cents, net_cents, created_at)
		VALUES ($1, 'sale', $2, $3, now())`, vendorID, gross, net)
	if err == nil {
		_, err = tx.Exec(`UPDATE vendors SET owed_cents = owed_cents + $1 WHERE id = $2`, net, vendorID)
	}
	if err != nil {
		tx.Rollback()
		w.WriteHeader(200) // don't let stripe keep retrying
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("stripe hook commit: %v", err)
		http.Error(w, "db", 500)
		return
	}

	go pushToBooks(vendorID, cs.ID, net)
	w.WriteHeader(200)
}

// pushToBooks mirrors the sale into the bookkeeping app (journal entry).
func pushToBooks(vendorID, ref string, netCents int64) {
	payload, _ := json.Marshal(map[string]any{
		"account": "vendor-payable:" + vendorID, "ref": ref, "amount_cents": netCents,
	})
	for attempt := 1; attempt <= 5; attempt++ {
		resp, err := books.Post(os.Getenv("BOOKS_URL")+"/journal", "application/json", bytes.NewReader(payload))
		if err == nil && resp.StatusCode < 300 {
			resp.Body.Close()
			return
		}
		if resp != nil {
			resp.Body.Close()
		}
		log.Printf("books push %s attempt %d failed: %v", ref, attempt, err)
		time.Sleep(2 * time.Second)
	}
	log.Printf("books push %s: gave up", ref)
}

// FridayPayouts is called by the scheduler; marks what is owed as paid out.
func (p *Payouts) FridayPayouts() error {
	_, err := p.DB.Exec(`
		WITH old AS (
			SELECT id, owed_cents FROM vendors WHERE owed_cents > 0 FOR UPDATE
		), due AS (
			UPDATE vendors v SET owed_cents = 0
			  FROM old WHERE v.id = old.id
			RETURNING v.id, old.owed_cents AS amount
		)
		INSERT INTO vendor_payouts (vendor_id, amount_cents, created_at)
		SELECT id, amount, now() FROM due`)
	return err
}
