package delivery

// dispatch svc. k8s: 4 pods behind the ingress (see deploy/dispatch.yaml)

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

type pos struct {
	Lat, Lng float64
	At       time.Time
}

var (
	posMu   sync.RWMutex
	courier = map[int64]pos{} // courier id -> last known position
)

var pushClient = &http.Client{Timeout: 5 * time.Second}

type Svc struct {
	db  *sql.DB
	rdb *redis.Client
}

// POST /courier/location  (courier app pings every 5s)
func (s *Svc) UpdateLocation(w http.ResponseWriter, r *http.Request) {
	var p struct {
		CourierID int64   `json:"courier_id"`
		Lat       float64 `json:"lat"`
		Lng       float64 `json:"lng"`
	}
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		http.Error(w, "bad body", 400)
		return
	}
	posMu.Lock()
	courier[p.CourierID] = pos{p.Lat, p.Lng, time.Now()}
	posMu.Unlock()
	w.WriteHeader(204)
}

// GET /orders/{id}/courier  (customer app polls this for the map)
func (s *Svc) CourierForOrder(w http.ResponseWriter, r *http.Request) {
	orderID, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var cid int64
	if err := s.db.QueryRowContext(r.Context(), "SELECT courier_id FROM orders WHERE id = $1", orderID).Scan(&cid); err != nil {
		log.Printf("order %d courier lookup: %v", orderID, err)
		http.Error(w, "not found", 404)
		return
	}
	posMu.RLock()
	p, ok := courier[cid]
	posMu.RUnlock()
	if !ok {
		http.Error(w, "no position yet", 404)
		return
	}
	json.NewEncoder(w).Encode(p)
}

// GET /home/trending  -- top restaurants by orders in the last 7 days, shown on app home
func (s *Svc) Trending(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	city := r.URL.Query().Get("city")
	key := "trending:" + city
	if b, err := s.rdb.Get(ctx, key).Bytes(); err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		return
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.id, r.name, count(*) AS orders
		  FROM orders o JOIN restaurants r ON r.id = o.restaurant_id
		 WHERE r.city = $1 AND o.created_at > now() - interval '7 days'
		 GROUP BY r.id, r.name ORDER BY orders DESC LIMIT 20`, city)
	if err != nil {
		log.Printf("trending %s: %v", city, err)
		http.Error(w, "error", 500)
		return
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var id, n int64
		var name string
		rows.Scan(&id, &name, &n)
		out = append(out, map[string]any{"id": id, "name": name, "orders": n})
	}
	b, _ := json.Marshal(out)
	s.rdb.Set(ctx, key, b, 2*time.Minute)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func notifyCourier(pushURL string, courierID, orderID int64) {
	body := []byte(fmt.Sprintf(`{"courier":%d,"order":%d,"type":"offer"}`, courierID, orderID))
	for {
		resp, err := pushClient.Post(pushURL, "application/json", bytes.NewReader(body))
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			return
		}
		if resp != nil {
			resp.Body.Close()
		}
		log.Printf("push to courier %d failed, retrying", courierID)
		time.Sleep(1 * time.Second)
	}
}
