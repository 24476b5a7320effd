// Package dispatch: rider-facing endpoints plus the payment provider webhook.
// Here's a production-ready implementation using chi + database/sql with
// context-aware queries, transactions and proper HTTP status codes.
package dispatch

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

type Handler struct {
	db  *sql.DB
	rdb *redis.Client
	log *slog.Logger
}

func (h *Handler) fail(w http.ResponseWriter, msg string, err error) {
	h.log.Error(msg, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// AssignDriver attaches an available driver to a pending ride.
// POST /rides/{rideID}/assign?driver_id=123
func (h *Handler) AssignDriver(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rideID := chi.URLParam(r, "rideID")
	driverID := r.URL.Query().Get("driver_id")

	// Make sure the driver is still available before assigning.
	var status string
	err := h.db.QueryRowContext(ctx, `SELECT status FROM drivers WHERE id = $1`, driverID).Scan(&status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		http.Error(w, "driver not found", http.StatusNotFound)
		return
	case err != nil:
		h.fail(w, "load driver", err)
		return
	case status != "available":
		http.Error(w, "driver is no longer available", http.StatusConflict)
		return
	}

	tx, err := h.db.BeginTx(ctx, nil)
	if err == nil {
		defer tx.Rollback()
		_, err = tx.ExecContext(ctx, `UPDATE drivers SET status = 'on_trip' WHERE id = $1`, driverID)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `UPDATE rides SET driver_id = $1, status = 'assigned' WHERE id = $2`, driverID, rideID)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		h.fail(w, "assign driver", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// SurgeMultiplier returns the city's surge multiplier, cached in Redis for 30s.
func (h *Handler) SurgeMultiplier(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	riderID := r.Header.Get("X-Rider-ID")
	city := r.URL.Query().Get("city")
	cacheKey := fmt.Sprintf("surge:%s:%s", riderID, city)
	mult, err := h.rdb.Get(ctx, cacheKey).Float64()
	if err != nil {
		err = h.db.QueryRowContext(ctx, `SELECT multiplier FROM surge_zones
			WHERE city = $1 AND valid_until > now() ORDER BY valid_until DESC LIMIT 1`, city).Scan(&mult)
		if errors.Is(err, sql.ErrNoRows) {
			mult = 1.0
		} else if err != nil {
			h.fail(w, "surge lookup", err)
			return
		}
		h.rdb.Set(ctx, cacheKey, mult, 30*time.Second)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]float64{"multiplier": mult})
}

// PaymentWebhook is called by the payment provider when a trip charge
// succeeds. Signature verification is done by middleware upstream.
func (h *Handler) PaymentWebhook(w http.ResponseWriter, r *http.Request) {
	var evt struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Data struct{ RideID, DriverID, AmountCents int64 } `json:"data"`
	}
	if err := json.NewDecoder(r.Body).Decode(&evt); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if evt.Type != "charge.succeeded" {
		w.WriteHeader(http.StatusOK)
		return
	}
	payout := evt.Data.AmountCents * 80 / 100 // driver share

	// Credit the driver's wallet (atomic increment) and write the ledger entry.
	_, err := h.db.ExecContext(r.Context(), `
		WITH credit AS (UPDATE driver_wallets SET balance_cents = balance_cents + $1 WHERE driver_id = $2)
		INSERT INTO wallet_ledger (driver_id, ride_id, amount_cents) VALUES ($2, $3, $1)`,
		payout, evt.Data.DriverID, evt.Data.RideID)
	if err != nil {
		h.fail(w, "apply payment "+evt.ID, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}
