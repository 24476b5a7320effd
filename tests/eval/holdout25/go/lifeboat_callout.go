package callout

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"
)

// CalloutService assigns volunteer crew to a lifeboat launch and pages them
// through the station's pager gateway.
type CalloutService struct {
	DB       *sql.DB
	PagerURL string
	pager    *http.Client
}

func NewCalloutService(db *sql.DB, pagerURL string) *CalloutService {
	return &CalloutService{
		DB:       db,
		PagerURL: pagerURL,
		pager:    &http.Client{Transport: http.DefaultTransport},
	}
}

type assignRequest struct {
	LaunchID int64  `json:"launch_id"`
	CrewID   int64  `json:"crew_id"`
	Role     string `json:"role"` // helm, navigator, crew
}

// maxCrewPerLaunch mirrors the seat count of the Atlantic 85 class boat.
const maxCrewPerLaunch = 4

// HandleAssign is called from the coxswain's tablet when a volunteer
// arrives at the boathouse and is picked for the launch.
func (s *CalloutService) HandleAssign(w http.ResponseWriter, r *http.Request) {
	var req assignRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	var onBoard int
	err := s.DB.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM launch_crew WHERE launch_id = $1`, req.LaunchID).Scan(&onBoard)
	if err != nil {
		log.Printf("count crew for launch %d: %v", req.LaunchID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if onBoard >= maxCrewPerLaunch {
		http.Error(w, "boat is already fully crewed", http.StatusConflict)
		return
	}

	_, err = s.DB.ExecContext(ctx,
		`INSERT INTO launch_crew (launch_id, crew_id, role, assigned_at)
		 VALUES ($1, $2, $3, now())`,
		req.LaunchID, req.CrewID, req.Role)
	if err != nil {
		log.Printf("assign crew %d to launch %d: %v", req.CrewID, req.LaunchID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	if err := s.notifyPager(req.CrewID, req.LaunchID, req.Role); err != nil {
		// The assignment stands even if the pager gateway is down;
		// the coxswain confirms verbally at the boathouse.
		log.Printf("pager notify crew %d: %v", req.CrewID, err)
	}

	w.WriteHeader(http.StatusCreated)
}

func (s *CalloutService) notifyPager(crewID, launchID int64, role string) error {
	payload, err := json.Marshal(map[string]any{
		"crew_id":   crewID,
		"launch_id": launchID,
		"message":   fmt.Sprintf("You are on launch %d as %s", launchID, role),
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, s.PagerURL+"/v1/messages", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")

	resp, err := s.pager.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("pager gateway returned %d", resp.StatusCode)
	}
	return nil
}
