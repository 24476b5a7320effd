package fridge

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/lib/pq"
)

// DonationEvent is what the supermarket surplus partners (via the
// FoodShare Connect relay) post when a driver drops items at a fridge.
type DonationEvent struct {
	EventID   string    `json:"event_id"`
	FridgeID  int64     `json:"fridge_id"`
	Partner   string    `json:"partner"`
	DroppedAt time.Time `json:"dropped_at"`
	Items     []struct {
		Name  string `json:"name"`
		Qty   int    `json:"qty"`
		UseBy string `json:"use_by"` // YYYY-MM-DD
	} `json:"items"`
}

type DonationWebhook struct {
	DB     *sql.DB
	Secret []byte
}

func (h *DonationWebhook) verify(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(sig))
}

func (h *DonationWebhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if !h.verify(body, r.Header.Get("X-FoodShare-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}

	var ev DonationEvent
	if err := json.Unmarshal(body, &ev); err != nil || len(ev.Items) == 0 {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	ctx := r.Context()
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("fridge webhook %s: begin: %v", ev.EventID, err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	var donationID int64
	err = tx.QueryRowContext(ctx,
		`INSERT INTO donations (fridge_id, partner, external_ref, dropped_at)
		 VALUES ($1, $2, $3, $4) RETURNING id`,
		ev.FridgeID, ev.Partner, ev.EventID, ev.DroppedAt).Scan(&donationID)
	if err != nil {
		log.Printf("fridge webhook %s: insert donation: %v", ev.EventID, err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}

	names := make([]string, 0, len(ev.Items))
	qtys := make([]int64, 0, len(ev.Items))
	useBy := make([]string, 0, len(ev.Items))
	total := 0
	for _, it := range ev.Items {
		names = append(names, it.Name)
		qtys = append(qtys, int64(it.Qty))
		useBy = append(useBy, it.UseBy)
		total += it.Qty
	}

	// One statement for all lines of the drop-off.
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO donation_items (donation_id, name, qty, use_by)
		 SELECT $1, n, q, u::date FROM unnest($2::text[], $3::int[], $4::text[]) AS t(n, q, u)`,
		donationID, pq.Array(names), pq.Array(qtys), pq.Array(useBy)); err != nil {
		log.Printf("fridge webhook %s: insert items: %v", ev.EventID, err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}

	if _, err := tx.ExecContext(ctx,
		`UPDATE fridges SET items_available = items_available + $1, last_donation_at = now()
		 WHERE id = $2`, total, ev.FridgeID); err != nil {
		log.Printf("fridge webhook %s: update fridge: %v", ev.EventID, err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}

	if err := tx.Commit(); err != nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusOK)
}
