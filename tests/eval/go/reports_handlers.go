package reports

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"
)

type Reports struct {
	Pool *pgxpool.Pool
}

// TopCustomers ranks customers by lifetime spend for the admin dashboard.
func (rp *Reports) TopCustomers(w http.ResponseWriter, r *http.Request) {
	rows, err := rp.Pool.Query(r.Context(), `
		SELECT c.id, c.name, SUM(o.total_cents) AS spent, COUNT(o.id) AS orders
		FROM customers c
		JOIN orders o ON o.customer_id = c.id
		GROUP BY c.id, c.name
		ORDER BY spent DESC
		LIMIT 50`)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	out := csv.NewWriter(w)
	for rows.Next() {
		var id, spent, orders int64
		var name string
		if err := rows.Scan(&id, &name, &spent, &orders); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out.Write([]string{strconv.FormatInt(id, 10), name, strconv.FormatInt(spent, 10), strconv.FormatInt(orders, 10)})
	}
	out.Flush()
}
