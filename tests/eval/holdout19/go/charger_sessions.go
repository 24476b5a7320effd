package chargers

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	_ "github.com/lib/pq"
)

// garage-api -- EV charging for levels P2/P3.
// k8s: deployment/garage-api, replicas: 4, behind the ingress-nginx LB.

type startReq struct {
	Plate  string `json:"plate"`
	Member int64  `json:"member_id"`
}

type liveSession struct {
	SessionID int64     `json:"session_id"`
	Plate     string    `json:"plate"`
	Started   time.Time `json:"started"`
	MeterWh   int64     `json:"meter_wh"`
}

// connector id -> running session; meter pushes from the OCPP bridge update this
var (
	liveMu sync.RWMutex
	live   = map[int64]*liveSession{}
)

func Routes() http.Handler {
	r := chi.NewRouter()
	r.Post("/connectors/{id}/start", startCharge)
	r.Post("/connectors/{id}/meter", meterPush)
	r.Get("/connectors/{id}/meter", meterRead)
	return r
}

func dbConn() (*sql.DB, error) {
	return sql.Open("postgres", os.Getenv("GARAGE_DSN"))
}

func startCharge(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	var req startReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad body", 400)
		return
	}

	db, err := dbConn()
	if err != nil {
		http.Error(w, "db", 500)
		return
	}
	defer db.Close()

	var status string
	err = db.QueryRow("SELECT status FROM connectors WHERE id = $1", id).Scan(&status)
	if err == sql.ErrNoRows {
		http.Error(w, "no such connector", 404)
		return
	}
	if status != "available" {
		http.Error(w, "connector busy", 409)
		return
	}

	var sessID int64
	err = db.QueryRow(`INSERT INTO charge_sessions (connector_id, member_id, plate, started_at)
		VALUES ($1, $2, $3, now()) RETURNING id`, id, req.Member, req.Plate).Scan(&sessID)
	if err != nil {
		log.Printf("start: insert session: %v", err)
		http.Error(w, "db", 500)
		return
	}
	if _, err := db.Exec("UPDATE connectors SET status = 'charging' WHERE id = $1", id); err != nil {
		log.Printf("start: connector status: %v", err)
	}

	liveMu.Lock()
	live[id] = &liveSession{SessionID: sessID, Plate: req.Plate, Started: time.Now()}
	liveMu.Unlock()

	w.WriteHeader(201)
	json.NewEncoder(w).Encode(map[string]int64{"session_id": sessID})
}

func meterPush(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	var body struct{ Wh int64 `json:"wh"` }
	json.NewDecoder(r.Body).Decode(&body)

	liveMu.Lock()
	if s, ok := live[id]; ok {
		s.MeterWh = body.Wh
	}
	liveMu.Unlock()
	w.WriteHeader(204)
}

func meterRead(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	liveMu.RLock()
	s, ok := live[id]
	liveMu.RUnlock()
	if !ok {
		http.Error(w, "not charging", 404)
		return
	}
	json.NewEncoder(w).Encode(s)
}
