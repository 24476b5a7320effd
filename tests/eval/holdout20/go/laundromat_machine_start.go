package machines

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

// Handler starts washers and dryers from the customer app. The service runs on
// 4 pods, so per-user throttling lives in Redis rather than in process memory.
type Handler struct {
	DB    *sql.DB
	Redis *redis.Client
}

const startsPerMinute = 6

type startRequest struct {
	Programme string `json:"programme"` // "cotton40", "quick30", "dry60", ...
}

var programmeMinutes = map[string]int{"cotton40": 55, "quick30": 30, "synthetics": 45, "dry40": 40, "dry60": 60}

func (h *Handler) Routes(r chi.Router) {
	r.Post("/laundromats/{laundromatID}/machines/{machineID}/start", h.start)
}

func (h *Handler) start(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	userID := r.Context().Value(userIDKey{}).(int64) // set by the session middleware
	laundromatID := chi.URLParam(r, "laundromatID")
	machineID := chi.URLParam(r, "machineID")

	rlKey := fmt.Sprintf("rl:machine-start:%d:%d", userID, time.Now().Unix()/60)
	n, err := h.Redis.Incr(ctx, rlKey).Result()
	if err != nil {
		log.Printf("rate limit incr: %v", err)
		http.Error(w, "try again shortly", http.StatusServiceUnavailable)
		return
	}
	if n == 1 {
		if err := h.Redis.Expire(ctx, rlKey, 2*time.Minute).Err(); err != nil {
			log.Printf("rate limit expire %s: %v", rlKey, err)
		}
	}
	if n > startsPerMinute {
		http.Error(w, "too many start requests", http.StatusTooManyRequests)
		return
	}

	var req startRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	minutes, ok := programmeMinutes[req.Programme]
	if !ok {
		http.Error(w, "unknown programme", http.StatusBadRequest)
		return
	}

	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		log.Printf("begin: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()

	// Claim the machine only if it is idle right now; a second tap or another
	// customer gets zero rows back.
	var priceCents int64
	err = tx.QueryRowContext(ctx, `
		UPDATE machines
		SET state = 'running', programme = $3, started_by = $4,
		    cycle_ends_at = now() + make_interval(mins => $5)
		WHERE id = $1 AND laundromat_id = $2 AND state = 'idle'
		RETURNING price_cents`, machineID, laundromatID, req.Programme, userID, minutes).Scan(&priceCents)
	if err == sql.ErrNoRows {
		http.Error(w, "machine is busy or out of service", http.StatusConflict)
		return
	}
	if err != nil {
		log.Printf("claim machine %s: %v", machineID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	res, err := tx.ExecContext(ctx, `
		UPDATE wallets SET balance_cents = balance_cents - $1
		WHERE user_id = $2 AND balance_cents >= $1`, priceCents, userID)
	if err != nil {
		log.Printf("charge wallet user=%d: %v", userID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if rows, _ := res.RowsAffected(); rows != 1 {
		http.Error(w, "insufficient wallet balance", http.StatusPaymentRequired)
		return
	}
	if err := tx.Commit(); err != nil {
		log.Printf("commit start machine %s: %v", machineID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"machine_id": machineID, "minutes": minutes, "charged_cents": priceCents})
}

type userIDKey struct{}
