package fridges

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Each neighbourhood network (network_id) runs its own set of fridges.
// Volunteers restock, visitors "take" items from the kiosk tablet.

type Item struct {
	ID     int64   `db:"id" json:"id"`
	SKU    string  `db:"sku" json:"sku"`
	Label  string  `db:"label" json:"label"`
	Qty    int     `db:"qty" json:"qty"`
	BestBy *string `db:"best_by" json:"best_by,omitempty"`
}

type Server struct{ db *sqlx.DB }

func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /networks/{net}/fridges/{fridge}/items", s.listItems)
	mux.HandleFunc("POST /networks/{net}/items/{item}/take", s.takeItem)
	mux.HandleFunc("POST /networks/{net}/fridges/{fridge}/restock", s.restock)
}

func (s *Server) listItems(w http.ResponseWriter, r *http.Request) {
	netID, _ := strconv.ParseInt(r.PathValue("net"), 10, 64)
	fridgeID, _ := strconv.ParseInt(r.PathValue("fridge"), 10, 64)
	afterID, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)

	items := []Item{}
	err := s.db.SelectContext(r.Context(), &items, `
		SELECT i.id, i.sku, i.label, i.qty, to_char(i.best_by, 'YYYY-MM-DD') AS best_by
		  FROM fridge_items i
		  JOIN fridges f ON f.id = i.fridge_id
		 WHERE f.network_id = $1 AND i.fridge_id = $2 AND i.qty > 0 AND i.id > $3
		 ORDER BY i.id
		 LIMIT 100`, netID, fridgeID, afterID)
	if err != nil {
		log.Printf("list items net=%d fridge=%d: %v", netID, fridgeID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(items)
}

func (s *Server) takeItem(w http.ResponseWriter, r *http.Request) {
	netID, _ := strconv.ParseInt(r.PathValue("net"), 10, 64)
	itemID, _ := strconv.ParseInt(r.PathValue("item"), 10, 64)
	var body struct {
		Qty int `json:"qty"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Qty < 1 {
		http.Error(w, "qty must be >= 1", http.StatusBadRequest)
		return
	}

	// decrement only if enough is left; the row count tells us whether it worked
	var left int
	err := s.db.QueryRowxContext(r.Context(), `
		UPDATE fridge_items i
		   SET qty = i.qty - $1, updated_at = now()
		  FROM fridges f
		 WHERE f.id = i.fridge_id AND f.network_id = $2
		   AND i.id = $3 AND i.qty >= $1
		RETURNING i.qty`, body.Qty, netID, itemID).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "not enough left", http.StatusConflict)
		return
	}
	if err != nil {
		log.Printf("take item %d: %v", itemID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]int{"qty_left": left})
}

func (s *Server) restock(w http.ResponseWriter, r *http.Request) {
	netID, _ := strconv.ParseInt(r.PathValue("net"), 10, 64)
	fridgeID, _ := strconv.ParseInt(r.PathValue("fridge"), 10, 64)
	var lines []struct {
		SKU   string `json:"sku"`
		Label string `json:"label"`
		Qty   int    `json:"qty"`
	}
	if err := json.NewDecoder(r.Body).Decode(&lines); err != nil || len(lines) > 200 {
		http.Error(w, "bad restock list", http.StatusBadRequest)
		return
	}

	skus := make([]string, len(lines))
	labels := make([]string, len(lines))
	qtys := make([]int64, len(lines))
	for i, l := range lines {
		skus[i], labels[i], qtys[i] = l.SKU, l.Label, int64(l.Qty)
	}
	// one statement for the whole delivery; joins fridges so another network's
	// fridge id simply matches nothing
	res, err := s.db.ExecContext(r.Context(), `
		INSERT INTO fridge_items (fridge_id, sku, label, qty, updated_at)
		SELECT f.id, u.sku, u.label, u.qty, now()
		  FROM fridges f,
		       unnest($3::text[], $4::text[], $5::int[]) AS u(sku, label, qty)
		 WHERE f.id = $1 AND f.network_id = $2
		ON CONFLICT (fridge_id, sku)
		DO UPDATE SET qty = fridge_items.qty + EXCLUDED.qty, updated_at = now()`,
		fridgeID, netID, pq.Array(skus), pq.Array(labels), pq.Array(qtys))
	if err != nil {
		log.Printf("restock fridge %d: %v", fridgeID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "fridge not found", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
