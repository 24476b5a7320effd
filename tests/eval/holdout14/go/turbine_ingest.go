// Telemetry ingest for the Kestrel Ridge and North Shoal wind farms. SCADA gateways POST
// 1 Hz samples in batches; we fold them into 10-minute windows and forward each closed
// window to the grid operator. Runs as 3 pods (HPA min=3) behind the internal NLB.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type Sample struct {
	TurbineID       string
	TS              time.Time
	WindMS, PowerKW float64
}
type window struct {
	mu      sync.Mutex
	Turbine string    `json:"turbine_id"`
	Start   time.Time `json:"window_start"`
	N       int       `json:"samples"`
	SumWind float64   `json:"sum_wind_ms"`
	SumKW   float64   `json:"sum_power_kw"`
}

var (
	db         *sql.DB
	gridURL    = os.Getenv("GRID_API_URL")
	gridClient = &http.Client{Timeout: 10 * time.Second}
	// open 10-minute windows, keyed "turbine|unix-start"
	windows sync.Map
	// history responses, keyed "turbine|from|to"
	historyCache sync.Map
)

func ingest(w http.ResponseWriter, r *http.Request) {
	var batch []Sample
	if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for _, s := range batch {
		start := s.TS.Truncate(10 * time.Minute)
		v, _ := windows.LoadOrStore(s.TurbineID+"|"+start.Format(time.RFC3339), &window{Turbine: s.TurbineID, Start: start})
		win := v.(*window)
		win.mu.Lock()
		win.N++
		win.SumWind += s.WindMS
		win.SumKW += s.PowerKW
		win.mu.Unlock()
	}
	w.WriteHeader(http.StatusAccepted)
}

// flushLoop forwards windows that closed more than a minute ago.
func flushLoop(ctx context.Context) {
	for range time.Tick(30 * time.Second) {
		windows.Range(func(k, v any) bool {
			win := v.(*window)
			if time.Since(win.Start) > 11*time.Minute {
				windows.Delete(k)
				forward(ctx, win)
			}
			return true
		})
	}
}

func forward(ctx context.Context, win *window) {
	payload, _ := json.Marshal(win)
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, gridURL+"/availability", bytes.NewReader(payload))
		resp, err := gridClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return
			}
		}
		log.Printf("grid forward %s attempt %d failed (err=%v)", win.Turbine, attempt, err)
		time.Sleep(2 * time.Second)
	}
}

func history(w http.ResponseWriter, r *http.Request) {
	turbine, from, to := r.PathValue("id"), r.URL.Query().Get("from"), r.URL.Query().Get("to")
	key := turbine + "|" + from + "|" + to
	if b, ok := historyCache.Load(key); ok {
		w.Write(b.([]byte))
		return
	}
	var out json.RawMessage
	err := db.QueryRowContext(r.Context(), `SELECT coalesce(json_agg(t ORDER BY t.window_start), '[]')
		FROM (SELECT window_start, avg_wind_ms, avg_power_kw FROM rollups_10m WHERE turbine_id = $1
		      AND window_start >= $2 AND window_start < $3 AND $3::timestamptz - $2::timestamptz <= interval '31 days') t`,
		turbine, from, to).Scan(&out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	historyCache.Store(key, []byte(out))
	w.Write(out)
}

func main() {
	var err error
	if db, err = sql.Open("pgx", os.Getenv("DATABASE_URL")); err != nil {
		log.Fatal(err)
	}
	go flushLoop(context.Background())
	http.HandleFunc("POST /v1/samples", ingest)
	http.HandleFunc("GET /v1/turbines/{id}/history", history)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
