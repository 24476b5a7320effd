package crew

// pairings endpoints used by the crew-planning UI.
// NOTE: api gateway in front of this has the default 30s idle timeout.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"time"

	"crewops/internal/solver"
)

type Server struct {
	db     *sql.DB
	hc     *http.Client // built in main with Timeout: 10s
	notify string       // crew-notify service base url
}

func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /bases/{base}/months/{month}/optimize", s.optimizeMonth)
	mux.HandleFunc("GET /crew/{id}/duty-limits", s.dutyLimits)
}

// optimizeMonth builds pairings for every pilot/FA at a base for a month and
// publishes the result.
func (s *Server) optimizeMonth(w http.ResponseWriter, r *http.Request) {
	base, month := r.PathValue("base"), r.PathValue("month")

	legs, err := solver.LoadLegs(r.Context(), s.db, base, month)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	crew, err := solver.LoadCrew(r.Context(), s.db, base)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}

	// full month for a big base is ~4k legs / 600 crew, takes a few minutes
	plan, err := solver.Solve(r.Context(), legs, crew, solver.Options{MaxIterations: 200000})
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	if err := solver.SavePlan(r.Context(), s.db, plan); err != nil {
		http.Error(w, err.Error(), 500)
		return
	}

	s.publish(r.Context(), plan)
	json.NewEncoder(w).Encode(map[string]any{"pairings": len(plan.Pairings), "cost": plan.Cost})
}

func (s *Server) publish(ctx context.Context, plan *solver.Plan) {
	body, _ := json.Marshal(plan.Summary())
	for {
		req, _ := http.NewRequestWithContext(ctx, "POST", s.notify+"/v1/roster-published", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.hc.Do(req)
		if err == nil && resp.StatusCode < 300 {
			resp.Body.Close()
			return
		}
		if resp != nil {
			resp.Body.Close()
		}
		time.Sleep(500 * time.Millisecond)
	}
}

type dutyLimit struct {
	RestHours     float64 `json:"rest_hours"`
	FlightHours28 float64 `json:"flight_hours_28d"`
}

func (s *Server) dutyLimits(w http.ResponseWriter, r *http.Request) {
	var d dutyLimit
	err := s.db.QueryRowContext(r.Context(),
		`SELECT rest_hours, flight_hours_28d FROM crew_duty_summary WHERE crew_id = $1`, r.PathValue("id")).
		Scan(&d.RestHours, &d.FlightHours28)
	if err != nil { // new hires have no summary row yet
		json.NewEncoder(w).Encode(dutyLimit{})
		return
	}
	if d.FlightHours28 > 100 {
		log.Printf("crew %s over 28-day limit: %.1f", r.PathValue("id"), d.FlightHours28)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(d)
}
