package inventory

import (
	"database/sql"
	"encoding/json"
	"net/http"
)

type Store struct{ DB *sql.DB }

// Reserve takes qty units of a SKU for an order.
func (s *Store) Reserve(w http.ResponseWriter, r *http.Request) {
	var req struct {
		SKU string `json:"sku"`
		Qty int    `json:"qty"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var onHand int
	if err := s.DB.QueryRowContext(r.Context(), "SELECT on_hand FROM stock WHERE sku = $1", req.SKU).Scan(&onHand); err != nil {
		http.Error(w, "unknown sku", http.StatusNotFound)
		return
	}
	if onHand < req.Qty {
		http.Error(w, "insufficient stock", http.StatusConflict)
		return
	}
	if _, err := s.DB.ExecContext(r.Context(), "UPDATE stock SET on_hand = $1 WHERE sku = $2", onHand-req.Qty, req.SKU); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
