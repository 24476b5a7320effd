package pitches

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Street-food market pitch fees. A trader picks a pitch for a market day, we
// hold it while they pay through Stripe Checkout, and the checkout.session.completed
// webhook turns the hold into a confirmed allocation.
//
// The service runs on 4 pods behind the market-ops ingress.

type pitchHold struct {
	TraderID  int64
	PitchID   int64
	MarketDay string
	HeldAt    time.Time
}

type PitchService struct {
	DB            *sql.DB
	WebhookSecret string

	mu    sync.Mutex
	holds map[string]pitchHold // keyed by Stripe checkout session id
}

func NewPitchService(db *sql.DB, secret string) *PitchService {
	return &PitchService{DB: db, WebhookSecret: secret, holds: make(map[string]pitchHold)}
}

// HoldPitch is called right after we create the Checkout session for the trader.
func (s *PitchService) HoldPitch(sessionID string, traderID, pitchID int64, day string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, h := range s.holds { // abandoned checkouts expire after 30 minutes
		if time.Since(h.HeldAt) > 30*time.Minute {
			delete(s.holds, id)
		}
	}
	s.holds[sessionID] = pitchHold{TraderID: traderID, PitchID: pitchID, MarketDay: day, HeldAt: time.Now()}
}

// IsHeld lets the pitch map grey out pitches that someone is paying for.
func (s *PitchService) IsHeld(pitchID int64, day string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.holds {
		if h.PitchID == pitchID && h.MarketDay == day && time.Since(h.HeldAt) < 30*time.Minute {
			return true
		}
	}
	return false
}

func (s *PitchService) HandleStripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), s.WebhookSecret)
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	if event.Type != "checkout.session.completed" {
		w.WriteHeader(http.StatusOK)
		return
	}

	var cs stripe.CheckoutSession
	if err := json.Unmarshal(event.Data.Raw, &cs); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}

	// The pitch details travel in the session metadata set by CreateCheckout.
	pitchID, _ := strconv.ParseInt(cs.Metadata["pitch_id"], 10, 64)
	traderID, _ := strconv.ParseInt(cs.Metadata["trader_id"], 10, 64)
	marketDay := cs.Metadata["market_day"]
	if pitchID == 0 || traderID == 0 || marketDay == "" {
		log.Printf("checkout session %s has no pitch metadata", cs.ID)
		w.WriteHeader(http.StatusOK)
		return
	}
	s.mu.Lock()
	delete(s.holds, cs.ID)
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx,
		`INSERT INTO pitch_allocations (pitch_id, market_day, trader_id, paid_pence) VALUES ($1, $2, $3, $4)`,
		pitchID, marketDay, traderID, cs.AmountTotal); err != nil {
		log.Printf("allocate pitch %d: %v", pitchID, err)
		http.Error(w, "allocation failed", http.StatusInternalServerError)
		return
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE traders SET season_spend_pence = season_spend_pence + $1, loyalty_points = loyalty_points + 1 WHERE id = $2`,
		cs.AmountTotal, traderID); err != nil {
		log.Printf("update trader %d spend: %v", traderID, err)
		http.Error(w, "allocation failed", http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, "commit failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
