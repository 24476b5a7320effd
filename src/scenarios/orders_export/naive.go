package api

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"time"
)

type Order struct {
	ID            int64     `json:"id"`
	CustomerEmail string    `json:"customer_email"`
	TotalCents    int64     `json:"total_cents"`
	Status        string    `json:"status"`
	CreatedAt     time.Time `json:"created_at"`
}

// ListOrders serves the admin dashboard's order table and its CSV/JSON export.
func ListOrders(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		shopID := r.URL.Query().Get("shop_id")
		rows, err := db.QueryContext(r.Context(),
			`SELECT id, customer_email, total_cents, status, created_at
			 FROM orders WHERE shop_id = $1 ORDER BY id DESC`, shopID)
		if err != nil {
			http.Error(w, "could not load orders", http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		orders := []Order{}
		for rows.Next() {
			var o Order
			if err := rows.Scan(&o.ID, &o.CustomerEmail, &o.TotalCents, &o.Status, &o.CreatedAt); err != nil {
				http.Error(w, "could not load orders", http.StatusInternalServerError)
				return
			}
			orders = append(orders, o)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(orders)
	}
}
