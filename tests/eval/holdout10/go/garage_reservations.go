package garage

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
)

var paymentsURL = os.Getenv("PAYMENTS_URL")

type Server struct {
	DB *sql.DB
}

type reserveReq struct {
	GarageID int64     `json:"garage_id"`
	Plate    string    `json:"plate"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
}

func (s *Server) Routes(r chi.Router) {
	r.Post("/reservations", s.reserve)
	r.Get("/admin/reservations", s.listAll)
}

func (s *Server) reserve(w http.ResponseWriter, r *http.Request) {
	var req reserveReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}

	var capacity, taken int
	if err := s.DB.QueryRow(`SELECT capacity FROM garages WHERE id = $1`, req.GarageID).Scan(&capacity); err != nil {
		http.Error(w, "unknown garage", http.StatusNotFound)
		return
	}
	err := s.DB.QueryRow(`SELECT count(*) FROM reservations
		WHERE garage_id = $1 AND status = 'active'
		  AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)`,
		req.GarageID, req.From, req.To).Scan(&taken)
	if err != nil {
		log.Printf("count reservations: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if taken >= capacity {
		http.Error(w, "garage full for that window", http.StatusConflict)
		return
	}

	var id int64
	err = s.DB.QueryRow(`INSERT INTO reservations (garage_id, plate, starts_at, ends_at, status)
		VALUES ($1, $2, $3, $4, 'active') RETURNING id`,
		req.GarageID, req.Plate, req.From, req.To).Scan(&id)
	if err != nil {
		log.Printf("insert reservation: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	if err := chargeDeposit(id, req.Plate); err != nil {
		log.Printf("deposit for reservation %d: %v", id, err)
		http.Error(w, "payment failed", http.StatusPaymentRequired)
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"id": id})
}

// chargeDeposit asks the payments service to pre-authorise the 10 EUR deposit.
func chargeDeposit(reservationID int64, plate string) error {
	body, _ := json.Marshal(map[string]any{"reservation_id": reservationID, "plate": plate, "amount_cents": 1000})
	resp, err := http.Post(paymentsURL+"/v1/deposits", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("payments returned %d", resp.StatusCode)
	}
	return nil
}

// listAll backs the ops dashboard table.
func (s *Server) listAll(w http.ResponseWriter, r *http.Request) {
	rows, err := s.DB.Query(`SELECT id, garage_id, plate, starts_at, ends_at, status FROM reservations ORDER BY starts_at DESC`)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()
	out := []map[string]any{}
	for rows.Next() {
		var id, gid int64
		var plate, status string
		var st, en time.Time
		if err := rows.Scan(&id, &gid, &plate, &st, &en, &status); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		out = append(out, map[string]any{"id": id, "garage_id": gid, "plate": plate, "starts_at": st, "ends_at": en, "status": status})
	}
	json.NewEncoder(w).Encode(out)
}
