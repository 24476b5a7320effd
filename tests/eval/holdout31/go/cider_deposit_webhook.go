package pressing

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

// Community orchard pressing days: members pay a small deposit per litre of juice they
// want pressed. The card provider calls us back when a checkout completes.

type Server struct {
	db            *sql.DB
	log           *slog.Logger
	webhookSecret []byte
}

type checkoutEvent struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Amount   int64  `json:"amount"`
	Metadata struct {
		OrchardID   int64 `json:"orchard_id"`
		PressingDay int64 `json:"pressing_day_id"`
		MemberID    int64 `json:"member_id"`
		Litres      int   `json:"litres"`
	} `json:"metadata"`
}

func (s *Server) validSignature(body []byte, header string) bool {
	mac := hmac.New(sha256.New, s.webhookSecret)
	mac.Write(body)
	expected := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(expected), []byte(header))
}

// HandleCheckoutWebhook is mounted at POST /webhooks/checkout.
func (s *Server) HandleCheckoutWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	if !s.validSignature(body, r.Header.Get("X-Checkout-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var ev checkoutEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "checkout.completed" {
		w.WriteHeader(http.StatusOK)
		return
	}
	md := ev.Metadata
	ctx := r.Context()

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.log.Error("begin tx", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	var reserved int
	err = tx.QueryRowContext(ctx,
		`SELECT reserved_litres FROM pressing_days WHERE id = $1 AND orchard_id = $2`,
		md.PressingDay, md.OrchardID).Scan(&reserved)
	if err != nil {
		s.log.Error("load pressing day", "day", md.PressingDay, "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}

	reserved += md.Litres
	if _, err := tx.ExecContext(ctx,
		`UPDATE pressing_days SET reserved_litres = $1 WHERE id = $2 AND orchard_id = $3`,
		reserved, md.PressingDay, md.OrchardID); err != nil {
		s.log.Error("update reserved litres", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO pressing_deposits (orchard_id, pressing_day_id, member_id, litres, amount_pence)
		 VALUES ($1, $2, $3, $4, $5)`,
		md.OrchardID, md.PressingDay, md.MemberID, md.Litres, ev.Amount); err != nil {
		s.log.Error("insert deposit", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}

	if err := tx.Commit(); err != nil {
		s.log.Error("commit deposit", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	s.log.Info("deposit recorded", "event", ev.ID, "member", md.MemberID, "litres", md.Litres)
	w.WriteHeader(http.StatusOK)
}
