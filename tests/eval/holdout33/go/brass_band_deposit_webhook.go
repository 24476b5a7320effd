package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Players borrowing a band instrument (cornets, tenor horns, the spare
// euphonium) pay a refundable deposit through PayBridge. PayBridge calls this
// endpoint when the card payment settles.

type depositEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		LoanID      int64  `json:"loan_id"`
		AmountPence int64  `json:"amount_pence"`
		Reference   string `json:"reference"`
	} `json:"data"`
}

// Mailer is set up in mail.go; it sends through the band's SMTP relay.
type Mailer interface {
	Send(to, subject, body string) error
}

var mailer Mailer

func validSignature(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, []byte(os.Getenv("PAYBRIDGE_SECRET")))
	mac.Write(body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig))
}

func DepositWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if !validSignature(body, r.Header.Get("PayBridge-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev depositEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "payment.settled" {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	db, err := sql.Open("pgx", os.Getenv("LOANS_DATABASE_URL"))
	if err != nil {
		log.Printf("deposit webhook: open db: %v", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	defer db.Close()

	tx, err := db.BeginTx(r.Context(), nil)
	if err != nil {
		log.Printf("deposit webhook: begin: %v", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(r.Context(),
		`UPDATE instrument_loans
		    SET deposit_paid_pence = deposit_paid_pence + $1, status = 'out'
		  WHERE id = $2`, ev.Data.AmountPence, ev.Data.LoanID); err != nil {
		log.Printf("deposit webhook: update loan %d: %v", ev.Data.LoanID, err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if _, err := tx.ExecContext(r.Context(),
		`INSERT INTO deposit_ledger (loan_id, amount_pence, reference) VALUES ($1, $2, $3)`,
		ev.Data.LoanID, ev.Data.AmountPence, ev.Data.Reference); err != nil {
		log.Printf("deposit webhook: ledger: %v", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("deposit webhook: commit: %v", err)
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}

	if err := mailer.Send("quartermaster@brassband.example", "Deposit received", ev.Data.Reference); err != nil {
		// the quartermaster also gets the weekly loans sheet
	}
	w.WriteHeader(http.StatusOK)
}

func main() {
	http.HandleFunc("/webhooks/paybridge", DepositWebhook)
	log.Fatal(http.ListenAndServe(":8081", nil))
}
