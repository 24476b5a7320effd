// Command buttshare is the small API behind the allotment society's water-butt
// sharing page: plot holders record how many litres they take from the shared
// butts so the committee can see who uses what over the season.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
)

type drawRequest struct {
	ButtID int64  `json:"butt_id"`
	PlotID int64  `json:"plot_id"`
	Litres int    `json:"litres"`
	Season string `json:"season"` // e.g. "2024"
}

type drawResponse struct {
	PlotID      int64 `json:"plot_id"`
	SeasonTotal int   `json:"season_total_litres"`
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /draws", recordDraw)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })

	srv := &http.Server{
		Addr:         ":8080",
		Handler:      mux,
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 10 * time.Second,
	}
	log.Fatal(srv.ListenAndServe())
}

// recordDraw adds a draw to the plot's running total for the season and
// keeps an itemised log row for the committee report.
func recordDraw(w http.ResponseWriter, r *http.Request) {
	var req drawRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Litres <= 0 || req.Litres > 200 {
		http.Error(w, "invalid draw", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	var total int
	err = db.QueryRowContext(ctx,
		`SELECT used_litres FROM plot_water_usage WHERE plot_id = $1 AND season = $2`,
		req.PlotID, req.Season).Scan(&total)
	if err == sql.ErrNoRows {
		_, err = db.ExecContext(ctx,
			`INSERT INTO plot_water_usage (plot_id, season, used_litres) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`,
			req.PlotID, req.Season)
	}
	if err != nil {
		log.Printf("load usage for plot %d: %v", req.PlotID, err)
		http.Error(w, "could not load usage", http.StatusInternalServerError)
		return
	}

	total += req.Litres
	if _, err := db.ExecContext(ctx,
		`UPDATE plot_water_usage SET used_litres = $1, updated_at = now() WHERE plot_id = $2 AND season = $3`,
		total, req.PlotID, req.Season); err != nil {
		log.Printf("update usage for plot %d: %v", req.PlotID, err)
		http.Error(w, "could not save usage", http.StatusInternalServerError)
		return
	}

	_, logErr := db.ExecContext(ctx,
		`INSERT INTO butt_draws (butt_id, plot_id, litres, drawn_at) VALUES ($1, $2, $3, now())`,
		req.ButtID, req.PlotID, req.Litres)
	if logErr != nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(drawResponse{PlotID: req.PlotID, SeasonTotal: total})
}
