package inventory

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

type Handler struct {
	DB *sql.DB
}

func (h *Handler) Routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/products/{id}/reserve", h.Reserve)
	r.Post("/coupons/{code}/redeem", h.RedeemCoupon)
	return r
}

type reserveRequest struct {
	Quantity int `json:"quantity"`
}

// Reserve takes units out of available stock when a cart goes to checkout.
func (h *Handler) Reserve(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		http.Error(w, "bad product id", http.StatusBadRequest)
		return
	}
	var req reserveRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Quantity <= 0 {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}

	ctx := r.Context()
	var stock int
	err = h.DB.QueryRowContext(ctx, `SELECT stock FROM products WHERE id = $1`, id).Scan(&stock)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "product not found", http.StatusNotFound)
		return
	} else if err != nil {
		log.Printf("reserve: load product %d: %v", id, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	if stock < req.Quantity {
		http.Error(w, "not enough stock", http.StatusConflict)
		return
	}

	remaining := stock - req.Quantity
	_, err = h.DB.ExecContext(ctx,
		`UPDATE products SET stock = $1, updated_at = now() WHERE id = $2`, remaining, id)
	if err != nil {
		log.Printf("reserve: update product %d: %v", id, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"product_id": id, "remaining": remaining})
}

// RedeemCoupon marks a single-use coupon as used by the current user.
func (h *Handler) RedeemCoupon(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	userID, ok := r.Context().Value(userIDKey).(int64)
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}

	ctx := r.Context()
	var redeemedBy sql.NullInt64
	var discount int
	err := h.DB.QueryRowContext(ctx,
		`SELECT redeemed_by, discount_percent FROM coupons WHERE code = $1`, code).Scan(&redeemedBy, &discount)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "unknown coupon", http.StatusNotFound)
		return
	} else if err != nil {
		log.Printf("coupon %s: %v", code, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if redeemedBy.Valid {
		http.Error(w, "coupon already used", http.StatusConflict)
		return
	}

	if _, err := h.DB.ExecContext(ctx,
		`UPDATE coupons SET redeemed_by = $1, redeemed_at = now() WHERE code = $2`, userID, code); err != nil {
		log.Printf("coupon %s redeem: %v", code, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"code": code, "discount_percent": discount})
}
