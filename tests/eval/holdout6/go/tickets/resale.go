package tickets

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
	"github.com/stripe/stripe-go/v76/webhook"
)

type Resale struct {
	DB            *sql.DB
	Redis         *redis.Client
	WebhookSecret string
	Log           *slog.Logger
}

// POST /listings/{id}/buy
func (s *Resale) Buy(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	listingID, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	buyerID := r.Context().Value(userIDKey).(int64)
	var price int64
	err := s.DB.QueryRowContext(ctx,
		`SELECT price_cents FROM listings WHERE id = $1 AND status = 'active' AND seller_id <> $2`, listingID, buyerID).Scan(&price)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "listing not available", http.StatusConflict)
		return
	} else if err != nil {
		s.Log.Error("load listing", "listing", listingID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	// Claim with one conditional UPDATE: of two racing buyers only one gets RowsAffected == 1.
	// Unpaid reservations are released after 15 min by the release-reservations cron job.
	res, err := s.DB.ExecContext(ctx, `
		UPDATE listings SET status = 'reserved', buyer_id = $2, reserved_at = now()
		 WHERE id = $1 AND status = 'active' AND price_cents = $3`, listingID, buyerID, price)
	if err != nil {
		s.Log.Error("reserve listing", "listing", listingID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n != 1 {
		http.Error(w, "listing was just taken", http.StatusConflict)
		return
	}
	s.Redis.Del(ctx, "mytickets:"+strconv.FormatInt(buyerID, 10))
	json.NewEncoder(w).Encode(map[string]any{"listing_id": listingID, "amount_cents": price})
}

// GET /me/tickets -- the caller's own purchases, cached briefly per user
func (s *Resale) MyTickets(w http.ResponseWriter, r *http.Request) {
	buyerID := r.Context().Value(userIDKey).(int64)
	key := "mytickets:" + strconv.FormatInt(buyerID, 10)
	if b, err := s.Redis.Get(r.Context(), key).Bytes(); err == nil {
		w.Write(b)
		return
	}
	var b []byte
	err := s.DB.QueryRowContext(r.Context(), `SELECT coalesce(json_agg(t ORDER BY t.event_date), '[]')
		FROM (SELECT id, event_name, event_date, seat FROM listings WHERE buyer_id = $1 LIMIT 200) t`, buyerID).Scan(&b)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.Redis.Set(r.Context(), key, b, time.Minute)
	w.Write(b)
}

// POST /webhooks/stripe
func (s *Resale) StripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	ev, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), s.WebhookSecret)
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	if ev.Type != "payment_intent.succeeded" {
		w.WriteHeader(http.StatusOK)
		return
	}
	listingID := ev.GetObjectValue("metadata", "listing_id")
	tx, err := s.DB.BeginTx(r.Context(), nil)
	if err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	// Stripe delivers at least once: record the event id first, skip repeats.
	res, err := tx.ExecContext(r.Context(),
		`INSERT INTO processed_events (provider, event_id) VALUES ('stripe', $1) ON CONFLICT DO NOTHING`, ev.ID)
	if err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		w.WriteHeader(http.StatusOK) // already handled
		return
	}
	if _, err := tx.ExecContext(r.Context(),
		`UPDATE listings SET status = 'sold', sold_at = now() WHERE id = $1 AND status = 'reserved'`, listingID); err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
