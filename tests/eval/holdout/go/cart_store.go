package cart

import (
	"encoding/json"
	"net/http"
	"sync"
)

// Carts live in memory until checkout. The service runs on 4 ECS tasks behind an ALB.
var (
	mu    sync.Mutex
	carts = map[string][]Item{}
)

type Item struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

func AddToCart(w http.ResponseWriter, r *http.Request) {
	var it Item
	if err := json.NewDecoder(r.Body).Decode(&it); err != nil {
		http.Error(w, "bad item", http.StatusBadRequest)
		return
	}
	sid := r.Header.Get("X-Session-ID")
	mu.Lock()
	carts[sid] = append(carts[sid], it)
	mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func GetCart(w http.ResponseWriter, r *http.Request) {
	sid := r.Header.Get("X-Session-ID")
	mu.Lock()
	items := carts[sid]
	mu.Unlock()
	json.NewEncoder(w).Encode(items)
}
