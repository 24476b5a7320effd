package liftpass

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"

	_ "github.com/lib/pq"
)

// Turnstile readers at every lift POST /scan on each RFID read.
// Saturday peak is ~40 scans/sec across the mountain.

type scanRequest struct {
	PassID string `json:"pass_id"`
	LiftID int    `json:"lift_id"`
}

type scanResponse struct {
	OK        bool   `json:"ok"`
	RidesLeft int    `json:"rides_left"`
	Reason    string `json:"reason,omitempty"`
}

func openDB() (*sql.DB, error) {
	db, err := sql.Open("postgres", os.Getenv("LIFTPASS_DSN"))
	if err != nil {
		return nil, err
	}
	return db, db.Ping()
}

func ScanHandler(w http.ResponseWriter, r *http.Request) {
	var req scanRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}

	db, err := openDB()
	if err != nil {
		log.Printf("scan: db: %v", err)
		http.Error(w, "db unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	var status string
	var rides int
	err = db.QueryRow("SELECT status, rides_left FROM lift_passes WHERE pass_id = $1", req.PassID).Scan(&status, &rides)
	if err == sql.ErrNoRows {
		writeJSON(w, scanResponse{OK: false, Reason: "unknown pass"})
		return
	} else if err != nil {
		log.Printf("scan: select: %v", err)
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}

	// punch cards start at 10 rides, season passes carry rides_left = -1
	if status != "active" || rides == 0 {
		writeJSON(w, scanResponse{OK: false, RidesLeft: rides, Reason: "no rides left"})
		return
	}
	if rides > 0 {
		rides = rides - 1
	}

	_, err = db.Exec("UPDATE lift_passes SET rides_left = $1, last_lift_id = $2, last_scan_at = now() WHERE pass_id = $3",
		rides, req.LiftID, req.PassID)
	if err != nil {
		log.Printf("scan: update: %v", err)
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	writeJSON(w, scanResponse{OK: true, RidesLeft: rides})
}

// LiftStatusHandler proxies the lift/grooming status feed from the ops vendor
// so the app doesn't need their API key.
func LiftStatusHandler(w http.ResponseWriter, r *http.Request) {
	url := fmt.Sprintf("%s/v2/lifts?resort=%s&key=%s",
		os.Getenv("OPS_FEED_URL"), r.URL.Query().Get("resort"), os.Getenv("OPS_FEED_KEY"))
	resp, err := http.Get(url)
	if err != nil {
		log.Printf("lift status: %v", err)
		http.Error(w, "feed unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func writeJSON(w http.ResponseWriter, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
