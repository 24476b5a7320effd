package main

// reservation-api: table booking for the restaurant widget.
// prod: 3 tasks on ECS behind the ALB (infra/reservations.tf), no sticky sessions

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/lib/pq"
)

type hold struct {
	SessionID string
	Until     time.Time
}

var (
	holdsMu sync.Mutex
	holds   = map[string]hold{} // restaurant:table:slot -> hold
)

type bookingReq struct {
	RestaurantID int64     `json:"restaurant_id"`
	TableID      int64     `json:"table_id"`
	Slot         time.Time `json:"slot"`
	SessionID    string    `json:"session_id"`
	GuestName    string    `json:"guest_name"`
	Phone        string    `json:"phone"`
}

func (b bookingReq) key() string {
	return fmt.Sprintf("%d:%d:%d", b.RestaurantID, b.TableID, b.Slot.Unix())
}

// POST /holds: keep the table for 5 min while the guest fills in the form.
func holdTable(w http.ResponseWriter, r *http.Request) {
	var req bookingReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", 400)
		return
	}
	holdsMu.Lock()
	defer holdsMu.Unlock()
	if h, ok := holds[req.key()]; ok && time.Now().Before(h.Until) && h.SessionID != req.SessionID {
		http.Error(w, "table is being booked by someone else", http.StatusConflict)
		return
	}
	holds[req.key()] = hold{SessionID: req.SessionID, Until: time.Now().Add(5 * time.Minute)}
	w.WriteHeader(http.StatusCreated)
}

// POST /reservations
func confirm(w http.ResponseWriter, r *http.Request) {
	var req bookingReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", 400)
		return
	}
	holdsMu.Lock()
	h, ok := holds[req.key()]
	holdsMu.Unlock()
	if !ok || h.SessionID != req.SessionID || time.Now().After(h.Until) {
		http.Error(w, "hold expired", http.StatusGone)
		return
	}

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, "db error", 500)
		return
	}
	defer db.Close()
	var id int64
	err = db.QueryRow(`INSERT INTO reservations (restaurant_id, table_id, slot, guest_name, phone)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		req.RestaurantID, req.TableID, req.Slot, req.GuestName, req.Phone).Scan(&id)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" { // unique (table_id, slot)
		http.Error(w, "slot already booked", http.StatusConflict)
		return
	} else if err != nil {
		log.Printf("insert reservation: %v", err)
		http.Error(w, "db error", 500)
		return
	}
	holdsMu.Lock()
	delete(holds, req.key())
	holdsMu.Unlock()
	json.NewEncoder(w).Encode(map[string]int64{"id": id})
}

func cancel(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, "db error", 500)
		return
	}
	defer db.Close()
	q := r.URL.Query()
	if _, err := db.Exec(`UPDATE reservations SET status = 'cancelled' WHERE id = $1 AND phone = $2`, q.Get("id"), q.Get("phone")); err != nil {
		w.WriteHeader(http.StatusNoContent) // widget just closes the dialog
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	http.HandleFunc("POST /holds", holdTable)
	http.HandleFunc("POST /reservations", confirm)
	http.HandleFunc("DELETE /reservations", cancel)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
