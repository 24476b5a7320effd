// Mobile library van service: stop summaries for the county website and the
// route rebuild the outreach team triggers after the stop list changes.
package vanroutes

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

type Service struct {
	DB        *sql.DB
	RedisAddr string
	Solver    *RouteSolver // HTTP client to the vehicle-routing solver, Timeout: 8m
}

type stopSummary struct {
	StopID      int64   `json:"stop_id"`
	Village     string  `json:"village"`
	Visits12m   int     `json:"visits_12m"`
	Loans12m    int     `json:"loans_12m"`
	AvgBorrower float64 `json:"avg_borrowers_per_visit"`
}

// GET /api/van/stops/summary
func (s *Service) StopsSummary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rdb := redis.NewClient(&redis.Options{Addr: s.RedisAddr, ReadTimeout: time.Second})
	defer rdb.Close()

	if cached, err := rdb.Get(ctx, "van:stops:summary").Bytes(); err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(cached)
		return
	}

	// Twelve months of visits and loans per stop; the loans table has a row
	// per book issued, so this takes a few seconds on the county replica.
	rows, err := s.DB.QueryContext(ctx, `
		SELECT st.id, st.village,
		       count(DISTINCT v.id),
		       count(l.id),
		       coalesce(count(DISTINCT l.borrower_id)::float / nullif(count(DISTINCT v.id), 0), 0)
		  FROM van_stops st
		  LEFT JOIN stop_visits v ON v.stop_id = st.id AND v.visited_on > now() - interval '12 months'
		  LEFT JOIN van_loans l ON l.visit_id = v.id
		 GROUP BY st.id, st.village
		 ORDER BY st.village`)
	if err != nil {
		log.Printf("van summary: %v", err)
		http.Error(w, "summary unavailable", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []stopSummary
	for rows.Next() {
		var ss stopSummary
		if err := rows.Scan(&ss.StopID, &ss.Village, &ss.Visits12m, &ss.Loans12m, &ss.AvgBorrower); err != nil {
			log.Printf("van summary scan: %v", err)
			http.Error(w, "summary unavailable", http.StatusInternalServerError)
			return
		}
		out = append(out, ss)
	}
	body, err := json.Marshal(out)
	if err != nil {
		http.Error(w, "summary unavailable", http.StatusInternalServerError)
		return
	}
	if err := rdb.Set(ctx, "van:stops:summary", body, 10*time.Minute).Err(); err != nil {
		log.Printf("van summary cache set: %v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// POST /api/van/routes/rebuild
func (s *Service) RebuildRoutes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	stops, err := s.activeStops(ctx)
	if err != nil {
		log.Printf("rebuild: load stops: %v", err)
		http.Error(w, "could not load stops", http.StatusInternalServerError)
		return
	}
	// The solver balances all ~380 stops across the two vans and the
	// fortnightly calendar; a full county run usually takes 3-6 minutes.
	plan, err := s.Solver.Solve(ctx, stops, SolveOptions{Vans: 2, HorizonDays: 14})
	if err != nil {
		log.Printf("rebuild: solver: %v", err)
		http.Error(w, "route solver failed", http.StatusBadGateway)
		return
	}
	if err := s.savePlan(ctx, plan); err != nil {
		log.Printf("rebuild: save plan: %v", err)
		http.Error(w, "could not save plan", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"rounds": len(plan.Rounds), "built_at": time.Now()})
}
