package api

import (
	"database/sql"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"
)

const pageSize = 100

type Order struct {
	ID            int64     `json:"id"`
	CustomerEmail string    `json:"customer_email"`
	TotalCents    int64     `json:"total_cents"`
	Status        string    `json:"status"`
	CreatedAt     time.Time `json:"created_at"`
}

// ListOrders serves one page of the admin order table; `next` is the cursor for the page after.
func ListOrders(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		shopID := r.URL.Query().Get("shop_id")
		before, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
		if err != nil {
			before = math.MaxInt64
		}
		rows, err := db.QueryContext(r.Context(),
			`SELECT id, customer_email, total_cents, status, created_at
			 FROM orders WHERE shop_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
			shopID, before, pageSize)
		if err != nil {
			http.Error(w, "could not load orders", http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		orders := make([]Order, 0, pageSize)
		for rows.Next() {
			var o Order
			if err := rows.Scan(&o.ID, &o.CustomerEmail, &o.TotalCents, &o.Status, &o.CreatedAt); err != nil {
				http.Error(w, "could not load orders", http.StatusInternalServerError)
				return
			}
			orders = append(orders, o)
		}
		var next *int64
		if len(orders) == pageSize {
			next = &orders[len(orders)-1].ID
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"orders": orders, "next": next})
	}
}
