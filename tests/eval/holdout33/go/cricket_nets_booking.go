package nets

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// NetBooking is a 30-minute slot in one of the club's outdoor practice nets.
type NetBooking struct {
	ID       int64     `json:"id"`
	NetNo    int       `json:"net_no"`
	MemberID int64     `json:"member_id"`
	StartsAt time.Time `json:"starts_at"`
}

type Handler struct {
	DB         *sql.DB
	WeatherURL string // Met Office proxy run by the league
}

func (h *Handler) Routes(r chi.Router) {
	r.Post("/nets/{net}/bookings", h.bookNet)
}

type bookRequest struct {
	MemberID int64     `json:"member_id"`
	StartsAt time.Time `json:"starts_at"`
}

func (h *Handler) bookNet(w http.ResponseWriter, r *http.Request) {
	netNo, err := strconv.Atoi(chi.URLParam(r, "net"))
	if err != nil || netNo < 1 || netNo > 3 {
		http.Error(w, "unknown net", http.StatusNotFound)
		return
	}
	var req bookRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	if req.StartsAt.Minute()%30 != 0 {
		http.Error(w, "slots start on the hour or half hour", http.StatusBadRequest)
		return
	}

	// Nets are closed when heavy rain is forecast: the matting takes days to dry.
	wet, err := h.rainExpected(req.StartsAt)
	if err != nil {
		log.Printf("nets: weather lookup failed, allowing booking: %v", err)
	} else if wet {
		http.Error(w, "outdoor nets closed for rain", http.StatusConflict)
		return
	}

	var taken int
	err = h.DB.QueryRowContext(r.Context(),
		`SELECT count(*) FROM net_bookings WHERE net_no = $1 AND starts_at = $2`,
		netNo, req.StartsAt).Scan(&taken)
	if err != nil {
		log.Printf("nets: availability check: %v", err)
		http.Error(w, "could not check availability", http.StatusInternalServerError)
		return
	}
	if taken > 0 {
		http.Error(w, "that net is already booked", http.StatusConflict)
		return
	}

	var b NetBooking
	err = h.DB.QueryRowContext(r.Context(),
		`INSERT INTO net_bookings (net_no, member_id, starts_at)
		 VALUES ($1, $2, $3)
		 RETURNING id, net_no, member_id, starts_at`,
		netNo, req.MemberID, req.StartsAt).Scan(&b.ID, &b.NetNo, &b.MemberID, &b.StartsAt)
	if err != nil {
		log.Printf("nets: insert booking: %v", err)
		http.Error(w, "could not save booking", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(b)
}

type forecast struct {
	PrecipMM float64 `json:"precip_mm"`
}

// rainExpected asks the forecast proxy for rainfall in the hour around the slot.
func (h *Handler) rainExpected(at time.Time) (bool, error) {
	url := fmt.Sprintf("%s/v1/hourly?lat=51.74&lon=-1.26&at=%s", h.WeatherURL, at.UTC().Format(time.RFC3339))
	resp, err := http.Get(url)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("forecast proxy returned %s", resp.Status)
	}
	var f forecast
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil {
		return false, err
	}
	return f.PrecipMM >= 4.0, nil
}
