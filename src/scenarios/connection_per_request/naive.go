package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5"
)

type StockLevel struct {
	Warehouse string `json:"warehouse"`
	Quantity  int    `json:"quantity"`
}

func stockHandler(w http.ResponseWriter, r *http.Request) {
	conn, err := pgx.Connect(r.Context(), os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer conn.Close(r.Context())

	rows, err := conn.Query(r.Context(),
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
	http.HandleFunc("GET /api/products/{sku}/stock", stockHandler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
