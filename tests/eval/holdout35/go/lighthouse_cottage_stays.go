package stays

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
)

// StayRequest is the body posted by the booking form on each cottage page.
type StayRequest struct {
	GuestName string    `json:"guest_name"`
	Email     string    `json:"email"`
	Arrive    time.Time `json:"arrive"`
	Depart    time.Time `json:"depart"`
}

type StayResponse struct {
	ID           int64    `json:"id"`
	CottageID    string   `json:"cottage_id"`
	TideWarnings []string `json:"tide_warnings,omitempty"`
}

type Handler struct {
	DB       *sql.DB
	TideHost string // e.g. https://tides.example.org
}

// tideClient is shared so we reuse connections to the tide table service.
var tideClient = &http.Client{}

func (h *Handler) Routes(r chi.Router) {
	r.Post("/cottages/{cottageID}/stays", h.createStay)
}

// createStay books a keeper's cottage. Some cottages are only reachable at low
// tide, so we attach warnings for days when the path floods at check-in time.
func (h *Handler) createStay(w http.ResponseWriter, r *http.Request) {
	cottageID := chi.URLParam(r, "cottageID")
	var req StayRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	if !req.Depart.After(req.Arrive) {
		http.Error(w, "depart must be after arrive", http.StatusBadRequest)
		return
	}

	ctx := r.Context()
	var overlapping int
	err := h.DB.QueryRowContext(ctx,
		`SELECT count(*) FROM cottage_stays
		  WHERE cottage_id = $1
		    AND status <> 'cancelled'
		    AND arrive < $3 AND depart > $2`,
		cottageID, req.Arrive, req.Depart).Scan(&overlapping)
	if err != nil {
		log.Printf("stays: overlap check for cottage %s: %v", cottageID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if overlapping > 0 {
		http.Error(w, "those nights are already taken", http.StatusConflict)
		return
	}

	var stayID int64
	err = h.DB.QueryRowContext(ctx,
		`INSERT INTO cottage_stays (cottage_id, guest_name, email, arrive, depart, status)
		 VALUES ($1, $2, $3, $4, $5, 'confirmed')
		 RETURNING id`,
		cottageID, req.GuestName, req.Email, req.Arrive, req.Depart).Scan(&stayID)
	if err != nil {
		log.Printf("stays: insert for cottage %s: %v", cottageID, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	resp := StayResponse{ID: stayID, CottageID: cottageID}
	warnings, err := h.tideWarnings(cottageID, req.Arrive, req.Depart)
	if err != nil {
		// The stay is booked; warnings are a nice-to-have on the confirmation page.
		log.Printf("stays: tide lookup for cottage %s: %v", cottageID, err)
	} else {
		resp.TideWarnings = warnings
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	if err := json.NewEncoder(w).Encode(resp); err != nil {
		log.Printf("stays: write response: %v", err)
	}
}

func (h *Handler) tideWarnings(cottageID string, from, to time.Time) ([]string, error) {
	q := url.Values{}
	q.Set("station", cottageID)
	q.Set("from", from.Format("2006-01-02"))
	q.Set("to", to.Format("2006-01-02"))
	resp, err := tideClient.Get(h.TideHost + "/v1/access-windows?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("tide service: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("tide service: status %d", resp.StatusCode)
	}

	var body struct {
		Closed []struct {
			Day    string `json:"day"`
			Reason string `json:"reason"`
		} `json:"closed_during_checkin"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("tide service: decode: %w", err)
	}
	out := make([]string, 0, len(body.Closed))
	for _, c := range body.Closed {
		out = append(out, fmt.Sprintf("%s: %s", c.Day, c.Reason))
	}
	return out, nil
}
