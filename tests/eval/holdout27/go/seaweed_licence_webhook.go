package licensing

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync/atomic"
	"time"
)

// Seaweed harvesting licences are issued once the foreshore fee is paid.
// The payment provider calls /webhooks/payments; the licence service runs
// on 3 pods in the marine-licensing namespace.

// licenceSeq numbers licences within the season, e.g. SWL-2025-00042.
var licenceSeq atomic.Int64

type paymentEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		ApplicationID int64   `json:"application_id"`
		AmountPence   int64   `json:"amount_pence"`
		ZoneID        int64   `json:"zone_id"`
		Tonnes        float64 `json:"tonnes"`
	} `json:"data"`
}

type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

type WebhookHandler struct {
	DB     *sql.DB
	Mailer Mailer
	Secret []byte
}

func (h *WebhookHandler) verify(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(sig))
}

func (h *WebhookHandler) HandlePaymentEvent(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || !h.verify(body, r.Header.Get("X-Signature")) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	var ev paymentEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if ev.Type != "payment.succeeded" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	ctx := r.Context()

	number := fmt.Sprintf("SWL-%d-%05d", time.Now().Year(), licenceSeq.Add(1))
	var holderEmail string
	err = h.DB.QueryRowContext(ctx, `
		INSERT INTO harvest_licences (application_id, licence_no, zone_id, tonnes, fee_pence, issued_at)
		SELECT a.id, $2, $3, $4, $5, now() FROM licence_applications a WHERE a.id = $1
		RETURNING (SELECT email FROM licence_applications WHERE id = $1)`,
		ev.Data.ApplicationID, number, ev.Data.ZoneID, ev.Data.Tonnes, ev.Data.AmountPence).Scan(&holderEmail)
	if err != nil {
		log.Printf("issue licence for application %d: %v", ev.Data.ApplicationID, err)
		http.Error(w, "could not issue licence", http.StatusInternalServerError)
		return
	}
	// Count the licensed tonnage against the zone's sustainable yield.
	if _, err := h.DB.ExecContext(ctx,
		`UPDATE harvest_zones SET licensed_tonnes = licensed_tonnes + $1 WHERE id = $2`,
		ev.Data.Tonnes, ev.Data.ZoneID); err != nil {
		log.Printf("update zone %d tonnage: %v", ev.Data.ZoneID, err)
		http.Error(w, "could not update zone", http.StatusInternalServerError)
		return
	}

	if err := h.sendLicence(ctx, holderEmail, number); err != nil {
		log.Printf("send licence %s: %v", number, err)
	}
	w.WriteHeader(http.StatusOK)
}

func (h *WebhookHandler) sendLicence(ctx context.Context, to, number string) error {
	msg := fmt.Sprintf("Your seaweed harvesting licence %s is now active. "+
		"Carry it with you on the foreshore and cut above the holdfast only.", number)
	if err := h.Mailer.Send(ctx, to, "Harvesting licence "+number, msg); err != nil {
		return nil
	}
	return nil
}
