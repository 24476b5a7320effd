package shop

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"io"
	"log"
	"net/http"

	"github.com/lib/pq"
)

// Wildflower seed bomb orders arrive from the online shop platform as
// "orders/paid" webhooks. The platform retries on any non-2xx and may also
// deliver the same event twice.

type WebhookHandler struct {
	DB     *sql.DB // pooled, shared across requests
	Secret []byte
}

type orderPaid struct {
	OrderID  string `json:"order_id"`
	Email    string `json:"email"`
	Postcode string `json:"postcode"`
	Lines    []struct {
		SKU string `json:"sku"` // e.g. "MEADOW-MIX-10"
		Qty int    `json:"qty"`
	} `json:"lines"`
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<10))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	expected := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(expected), []byte(r.Header.Get("X-Shop-Hmac-Sha256"))) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	eventID := r.Header.Get("X-Shop-Event-Id")
	if eventID == "" {
		http.Error(w, "missing event id", http.StatusBadRequest)
		return
	}
	var ev orderPaid
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	if err := h.apply(r, eventID, &ev); err != nil {
		log.Printf("seed webhook %s (order %s): %v", eventID, ev.OrderID, err)
		http.Error(w, "processing failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (h *WebhookHandler) apply(r *http.Request, eventID string, ev *orderPaid) error {
	ctx := r.Context()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		`INSERT INTO processed_events (event_id, received_at) VALUES ($1, now())
		 ON CONFLICT (event_id) DO NOTHING`, eventID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already handled this delivery
	}

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO seed_orders (shop_order_id, email, postcode, status)
		 VALUES ($1, $2, $3, 'to_pack')`, ev.OrderID, ev.Email, ev.Postcode); err != nil {
		return err
	}
	skus := make([]string, 0, len(ev.Lines))
	qtys := make([]int64, 0, len(ev.Lines))
	for _, l := range ev.Lines {
		skus = append(skus, l.SKU)
		qtys = append(qtys, int64(l.Qty))
	}
	// One statement for all lines; negative stock shows as back-order on the packing sheet.
	if _, err := tx.ExecContext(ctx,
		`UPDATE seed_mixes m SET stock = m.stock - l.qty
		   FROM unnest($1::text[], $2::bigint[]) AS l(sku, qty)
		  WHERE m.sku = l.sku`, pq.Array(skus), pq.Array(qtys)); err != nil {
		return err
	}
	return tx.Commit()
}
