package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type PaymentEvent struct {
	EventID  string `json:"event_id"`
	Type     string `json:"type"` // payment.captured, payment.refunded
	PlayerID int64  `json:"player_id"`
	SKU      string `json:"sku"`
	Gems     int64  `json:"gems"`
}

type Webhooks struct {
	DB     *pgxpool.Pool
	Queue  *asynq.Client
	Secret []byte
	Log    *slog.Logger
	Fraud  *resty.Client // built once in main: resty.New().SetTimeout(3 * time.Second)
}

func (h *Webhooks) Mount(app *fiber.App) {
	app.Post("/webhooks/payments", h.payment)
}

func (h *Webhooks) payment(c *fiber.Ctx) error {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(c.Body())
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(c.Get("X-Signature"))) {
		return fiber.ErrUnauthorized
	}
	var ev PaymentEvent
	if err := json.Unmarshal(c.Body(), &ev); err != nil {
		return fiber.ErrBadRequest
	}

	ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
	defer cancel()

	err := pgx.BeginFunc(ctx, h.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx,
			`INSERT INTO processed_payment_events (event_id, received_at) VALUES ($1, now()) ON CONFLICT (event_id) DO NOTHING`,
			ev.EventID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errDuplicate
		}
		delta := ev.Gems
		if ev.Type == "payment.refunded" {
			delta = -ev.Gems
		}
		_, err = tx.Exec(ctx, `UPDATE wallets SET gems = gems + $1 WHERE player_id = $2`, delta, ev.PlayerID)
		return err
	})
	switch {
	case errors.Is(err, errDuplicate):
		return c.SendStatus(fiber.StatusOK) // already applied
	case err != nil:
		h.Log.Error("apply payment event", "event", ev.EventID, "err", err)
		return fiber.ErrInternalServerError // provider will redeliver
	}

	// Receipt email + fraud scoring happen in the worker, not in the webhook.
	task, _ := json.Marshal(ev)
	if _, err := h.Queue.EnqueueContext(ctx, asynq.NewTask("receipt:send", task), asynq.TaskID("receipt:"+ev.EventID)); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		h.Log.Warn("enqueue receipt", "event", ev.EventID, "err", err)
	}
	return c.SendStatus(fiber.StatusOK)
}

var errDuplicate = errors.New("duplicate event")

// ReportToFraud is called by the asynq worker. Retries 5xx with capped
// exponential backoff and full jitter.
func (h *Webhooks) ReportToFraud(ctx context.Context, ev PaymentEvent) error {
	const maxAttempts = 6
	backoff := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		resp, err := h.Fraud.R().SetContext(ctx).SetBody(ev).Post("/v1/score")
		if err == nil && resp.StatusCode() < http.StatusInternalServerError {
			return nil
		}
		if attempt == maxAttempts {
			if err == nil {
				err = errors.New("fraud service: " + resp.Status())
			}
			return err
		}
		sleep := time.Duration(rand.Int64N(int64(backoff)))
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}
