package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type StockLevel struct {
	Warehouse string `json:"warehouse"`
	Quantity  int    `json:"quantity"`
}

type server struct {
	pool *pgxpool.Pool
}

func (s *server) stockHandler(w http.ResponseWriter, r *http.Request) {
	rows, err := s.pool.Query(r.Context(),
		`SELECT s.warehouse, s.quantity FROM stock s
		 JOIN products p ON p.id = s.product_id WHERE p.sku = $1`, r.PathValue("sku"))
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	levels, err := pgx.CollectRows(rows, pgx.RowToStructByPos[StockLevel])
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(levels)
}

func main() {
	// One pool for the process (pool_max_conns in the URL caps it), opened once at startup.
	pool, err := pgxpool.New(context.Background(), os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	s := &server{pool: pool}
	http.HandleFunc("GET /api/products/{sku}/stock", s.stockHandler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
