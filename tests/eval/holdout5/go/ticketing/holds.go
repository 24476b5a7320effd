package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strconv"

	_ "github.com/lib/pq"
)

type holdReq struct {
	EventID int64 `json:"event_id"`
	SeatID  int64 `json:"seat_id"`
	UserID  int64 `json:"user_id"`
}

// POST /api/seats/hold
func holdSeat(w http.ResponseWriter, r *http.Request) {
	var req holdReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", 400)
		return
	}

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Println("db open:", err)
		http.Error(w, "db error", 500)
		return
	}
	defer db.Close()

	var status string
	err = db.QueryRow("SELECT status FROM seats WHERE id = $1 AND event_id = $2", req.SeatID, req.EventID).Scan(&status)
	if err == sql.ErrNoRows {
		http.Error(w, "no such seat", 404)
		return
	} else if err != nil {
		log.Println("select seat:", err)
		http.Error(w, "db error", 500)
		return
	}

	if status != "available" {
		http.Error(w, "seat already taken", 409)
		return
	}

	_, err = db.Exec("UPDATE seats SET status = 'held', held_by = $1 WHERE id = $2", req.UserID, req.SeatID)
	if err != nil {
		log.Println("update seat:", err)
		http.Error(w, "db error", 500)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]interface{}{"seat_id": req.SeatID, "status": "held"})
}

// GET /api/events/{id}/seats?section=B
func listSeats(w http.ResponseWriter, r *http.Request) {
	eventID, _ := strconv.ParseInt(r.URL.Query().Get("event_id"), 10, 64)
	section := r.URL.Query().Get("section")

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, "db error", 500)
		return
	}
	defer db.Close()

	rows, err := db.Query("SELECT id, row_label, number, status FROM seats WHERE event_id = $1 AND section = $2 ORDER BY row_label, number", eventID, section)
	if err != nil {
		http.Error(w, "db error", 500)
		return
	}
	defer rows.Close()

	type seat struct {
		ID     int64  `json:"id"`
		Row    string `json:"row"`
		Number int    `json:"number"`
		Status string `json:"status"`
	}
	out := []seat{}
	for rows.Next() {
		var s seat
		if err := rows.Scan(&s.ID, &s.Row, &s.Number, &s.Status); err != nil {
			http.Error(w, "db error", 500)
			return
		}
		out = append(out, s)
	}
	json.NewEncoder(w).Encode(out)
}

func main() {
	http.HandleFunc("/api/seats/hold", holdSeat)
	http.HandleFunc("/api/seats", listSeats)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
