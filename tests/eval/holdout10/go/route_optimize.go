package main

// pickup-planner: builds the daily collection routes for the recycling trucks.
// prod: 2 instances behind nginx (proxy_read_timeout 30s)

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"

	_ "github.com/lib/pq"
)

type stop struct {
	ID  int64   `json:"id"`
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

type plannedRoute struct {
	RouteID int64  `json:"route_id"`
	TruckID int64  `json:"truck_id"`
	Stops   []stop `json:"stops"`
}

func main() {
	http.HandleFunc("/routes/optimize", optimizeHandler)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	log.Fatal(http.ListenAndServe(":8080", nil))
}

// POST /routes/optimize?date=2024-06-03
// re-orders the stops of every route for that day (~140 routes, 60-90 stops each)
func optimizeHandler(w http.ResponseWriter, r *http.Request) {
	date := r.URL.Query().Get("date")
	if date == "" {
		http.Error(w, "date required", 400)
		return
	}

	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer db.Close()

	rows, err := db.Query(`SELECT id, truck_id FROM routes WHERE service_date = $1`, date)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()

	var result []plannedRoute
	for rows.Next() {
		var pr plannedRoute
		if err := rows.Scan(&pr.RouteID, &pr.TruckID); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		srows, err := db.Query(`SELECT id, lat, lng FROM pickups WHERE route_id = $1`, pr.RouteID)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		var stops []stop
		for srows.Next() {
			var s stop
			if err := srows.Scan(&s.ID, &s.Lat, &s.Lng); err != nil {
				srows.Close()
				http.Error(w, err.Error(), 500)
				return
			}
			stops = append(stops, s)
		}
		srows.Close()

		// exhaustive 2-opt, a few hundred ms to several seconds per route
		pr.Stops = twoOpt(stops)
		result = append(result, pr)
	}

	// dispatch app saves the new sequence when the planner accepts it
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(result)
}

func twoOpt(stops []stop) []stop {
	best := append([]stop(nil), stops...)
	improved := true
	for improved {
		improved = false
		for i := 1; i < len(best)-1; i++ {
			for k := i + 1; k < len(best); k++ {
				if gain(best, i, k) > 1e-9 {
					reverse(best[i : k+1])
					improved = true
				}
			}
		}
	}
	return best
}
