package boarding

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
)

// Server serves the kennel boarding API. Deposits and top-ups are taken by the
// payment provider, which notifies us through the webhook below.
type Server struct {
	DB            *sql.DB
	WebhookSecret []byte
	Log           *slog.Logger
}

type providerEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		AmountCents int64  `json:"amount_cents"`
		AccountRef  string `json:"account_ref"`
		StayID      int64  `json:"stay_id"`
		Kind        string `json:"kind"` // "deposit" or "credit_topup"
	} `json:"data"`
}

func (s *Server) validSignature(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, s.WebhookSecret)
	mac.Write(body)
	expected := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(expected), []byte(sig))
}

func (s *Server) handleProviderWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !s.validSignature(body, r.Header.Get("X-Provider-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var evt providerEvent
	if err := json.Unmarshal(body, &evt); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if evt.Type != "payment.succeeded" {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	ctx := r.Context()
	switch evt.Data.Kind {
	case "deposit":
		_, err = s.DB.ExecContext(ctx,
			`UPDATE stays SET deposit_paid_cents = deposit_paid_cents + $1, status = 'confirmed'
			 WHERE id = $2`, evt.Data.AmountCents, evt.Data.StayID)
	case "credit_topup":
		err = s.addCredit(r, evt.Data.AccountRef, evt.Data.AmountCents)
	}
	if err != nil {
		s.Log.Error("apply payment", "event", evt.ID, "err", err)
		http.Error(w, "retry later", http.StatusInternalServerError)
		return
	}

	if _, err := s.DB.ExecContext(ctx,
		`INSERT INTO payment_ledger (provider_event_id, account_ref, stay_id, amount_cents, kind)
		 VALUES ($1, $2, $3, $4, $5)`,
		evt.ID, evt.Data.AccountRef, evt.Data.StayID, evt.Data.AmountCents, evt.Data.Kind); err != nil {
		s.Log.Error("ledger insert", "event", evt.ID, "err", err)
	}
	w.WriteHeader(http.StatusOK)
}

// addCredit tops up the owner's prepaid boarding credit.
func (s *Server) addCredit(r *http.Request, accountRef string, amount int64) error {
	ctx := r.Context()
	var balance int64
	err := s.DB.QueryRowContext(ctx,
		`SELECT credit_cents FROM owner_accounts WHERE account_ref = $1`, accountRef).Scan(&balance)
	if err != nil {
		return err
	}
	balance += amount
	_, err = s.DB.ExecContext(ctx,
		`UPDATE owner_accounts SET credit_cents = $1, updated_at = now() WHERE account_ref = $2`,
		balance, accountRef)
	return err
}
