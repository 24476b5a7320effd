package swaps

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The starter swap registry posts dried starter flakes between members. The
// courier calls this webhook on each tracking event and redelivers on any
// non-2xx answer, sometimes several times for the same event.

type courierEvent struct {
	EventID  string    `json:"event_id"`
	Tracking string    `json:"tracking_number"`
	Status   string    `json:"status"` // in_transit, delivered, returned
	At       time.Time `json:"occurred_at"`
}

type Webhooks struct {
	Pool   *pgxpool.Pool
	Secret []byte
}

func (h *Webhooks) Courier(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<10))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("Courier-Signature"))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev courierEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.EventID == "" {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := h.apply(ctx, ev); err != nil {
		log.Printf("swaps: courier event %s: %v", ev.EventID, err)
		// Non-2xx makes the courier redeliver later; the event table keeps that safe.
		http.Error(w, "temporarily unable to process", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// apply records the event and its effects in one transaction. The primary key
// on courier_events.event_id means a redelivered event changes nothing.
func (h *Webhooks) apply(ctx context.Context, ev courierEvent) error {
	return pgx.BeginFunc(ctx, h.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx,
			`INSERT INTO courier_events (event_id, tracking_number, status, occurred_at)
			 VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING`,
			ev.EventID, ev.Tracking, ev.Status, ev.At)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil // already processed
		}

		_, err = tx.Exec(ctx,
			`UPDATE starter_swaps SET parcel_status = $1, status_at = $2
			 WHERE tracking_number = $3 AND (status_at IS NULL OR status_at < $2)`,
			ev.Status, ev.At, ev.Tracking)
		if err != nil || ev.Status != "delivered" {
			return err
		}

		// Credit the donor once per parcel, even if the courier sends two "delivered" events.
		var donorID int64
		err = tx.QueryRow(ctx,
			`UPDATE starter_swaps SET delivered_at = $1
			 WHERE tracking_number = $2 AND delivered_at IS NULL
			 RETURNING donor_id`,
			ev.At, ev.Tracking).Scan(&donorID)
		if err == pgx.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx,
			`UPDATE members SET swaps_given = swaps_given + 1 WHERE id = $1`, donorID)
		return err
	})
}
