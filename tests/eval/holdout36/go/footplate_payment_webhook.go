package footplate

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
)

// PaywiseHook receives payment notifications for footplate experience
// vouchers (driver-for-a-day, fireman taster, Santa special cab rides).
type PaywiseHook struct {
	DB        *sql.DB
	Secret    []byte
	MailerURL string
}

type paywiseEvent struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	BookingRef  string `json:"booking_ref"`
	AmountPence int64  `json:"amount_pence"`
	Email       string `json:"customer_email"`
}

var mailClient = &http.Client{}

func (h *PaywiseHook) verify(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}

func (h *PaywiseHook) HandlePaywiseEvent(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if !h.verify(body, r.Header.Get("Paywise-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev paywiseEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	if ev.Type != "payment.succeeded" {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	ctx := r.Context()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("paywise %s: begin: %v", ev.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	// Mark the booking paid and top up the voucher credit the customer can
	// spend on extra turns on the footplate.
	if _, err := tx.ExecContext(ctx,
		`UPDATE footplate_bookings SET status = 'paid', paid_at = now() WHERE booking_ref = $1`,
		ev.BookingRef); err != nil {
		log.Printf("paywise %s: mark paid: %v", ev.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE footplate_vouchers SET credit_pence = credit_pence + $1 WHERE booking_ref = $2`,
		ev.AmountPence, ev.BookingRef); err != nil {
		log.Printf("paywise %s: credit voucher: %v", ev.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("paywise %s: commit: %v", ev.ID, err)
		http.Error(w, "retry later", http.StatusServiceUnavailable)
		return
	}

	if err := h.sendConfirmation(ev); err != nil {
		log.Printf("paywise %s: confirmation mail for %s: %v", ev.ID, ev.BookingRef, err)
	}
	w.WriteHeader(http.StatusOK)
}

func (h *PaywiseHook) sendConfirmation(ev paywiseEvent) error {
	payload, _ := json.Marshal(map[string]string{
		"to":       ev.Email,
		"template": "footplate-confirmed",
		"ref":      ev.BookingRef,
	})
	resp, err := mailClient.Post(h.MailerURL+"/send", "application/json", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("mailer returned %s", resp.Status)
	}
	return nil
}
