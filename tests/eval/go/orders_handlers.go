package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

type Order struct {
	ID         int64   `db:"id" json:"id"`
	CustomerID int64   `db:"customer_id" json:"customer_id"`
	Total      float64 `db:"total" json:"total"`
	Customer   *Customer `json:"customer,omitempty"`
}

type Customer struct {
	ID    int64  `db:"id" json:"id"`
	Name  string `db:"name" json:"name"`
	Email string `db:"email" json:"email"`
}

type Server struct {
	db *sqlx.DB
}

func (s *Server) RecentOrders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var orders []Order
	if err := s.db.SelectContext(ctx, &orders,
		`SELECT id, customer_id, total FROM orders ORDER BY created_at DESC LIMIT 50`); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for i := range orders {
		var c Customer
		if err := s.db.GetContext(ctx, &c, `SELECT id, name, email FROM customers WHERE id = $1`, orders[i].CustomerID); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		orders[i].Customer = &c
	}
	json.NewEncoder(w).Encode(orders)
}

func (s *Server) customersByID(ctx context.Context, ids []int64) (map[int64]Customer, error) {
	var cs []Customer
	if err := s.db.SelectContext(ctx, &cs, `SELECT id, name, email FROM customers WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	out := make(map[int64]Customer, len(cs))
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

func (s *Server) OpenOrders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var orders []Order
	if err := s.db.SelectContext(ctx, &orders,
		`SELECT id, customer_id, total FROM orders WHERE status = 'open' ORDER BY id LIMIT 100`); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ids := make([]int64, 0, len(orders))
	for _, o := range orders {
		ids = append(ids, o.CustomerID)
	}
	byID, err := s.customersByID(ctx, ids)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for i := range orders {
		c := byID[orders[i].CustomerID]
		orders[i].Customer = &c
	}
	json.NewEncoder(w).Encode(orders)
}
