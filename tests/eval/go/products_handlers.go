package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Product struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Price int64  `json:"price_cents"`
	Stock int64  `json:"stock"`
}

type Catalog struct {
	Pool *pgxpool.Pool
}

func (c *Catalog) List(w http.ResponseWriter, r *http.Request) {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	rows, err := c.Pool.Query(ctx, `SELECT id, name, price_cents, stock FROM products WHERE id > $1 ORDER BY id LIMIT 100`, after)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	products, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Product])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(products)
}

func (c *Catalog) Buy(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var stock int64
	err := c.Pool.QueryRow(r.Context(),
		`UPDATE products SET stock = stock - 1 WHERE id = $1 AND stock > 0 RETURNING stock`, id).Scan(&stock)
	if errors.Is(err, pgx.ErrNoRows) {
		http.Error(w, "sold out", http.StatusConflict)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]int64{"stock": stock})
}
