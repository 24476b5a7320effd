// Lane booking API for the Riverside Archery Club range.
// Runs on the club's shared k8s cluster as 4 pods (deploy/lanes.yaml), behind
// the ingress-nginx controller.
package lanes

import (
	"encoding/json"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
)

const (
	maxBookingsPerMinute = 5
	sessionLength        = time.Hour
)

var (
	limiterMu   sync.Mutex
	bookingHits = make(map[string][]time.Time) // client -> recent booking attempts
)

type API struct {
	db *sqlx.DB
}

type bookingRequest struct {
	LaneNo   int       `json:"lane_no"`
	StartsAt time.Time `json:"starts_at"`
	MemberID int64     `json:"member_id"`
	Bow      string    `json:"bow"` // recurve, compound, longbow
}

func (a *API) Routes(r chi.Router) {
	r.Post("/lanes/bookings", a.BookLane)
}

// clientKey identifies the caller for throttling purposes.
func clientKey(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		return strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func allowBooking(key string, now time.Time) bool {
	limiterMu.Lock()
	defer limiterMu.Unlock()
	window := now.Add(-time.Minute)
	recent := bookingHits[key][:0]
	for _, t := range bookingHits[key] {
		if t.After(window) {
			recent = append(recent, t)
		}
	}
	if len(recent) >= maxBookingsPerMinute {
		bookingHits[key] = recent
		return false
	}
	bookingHits[key] = append(recent, now)
	return true
}

func (a *API) BookLane(w http.ResponseWriter, r *http.Request) {
	if !allowBooking(clientKey(r), time.Now()) {
		http.Error(w, "too many booking attempts, try again shortly", http.StatusTooManyRequests)
		return
	}

	var req bookingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.LaneNo < 1 || req.LaneNo > 12 {
		http.Error(w, "invalid booking", http.StatusBadRequest)
		return
	}
	endsAt := req.StartsAt.Add(sessionLength)
	ctx := r.Context()

	var clashes int
	err := a.db.GetContext(ctx, &clashes,
		`SELECT COUNT(*) FROM lane_bookings
		  WHERE lane_no = $1 AND starts_at < $3 AND ends_at > $2 AND cancelled_at IS NULL`,
		req.LaneNo, req.StartsAt, endsAt)
	if err != nil {
		log.Printf("lane clash check lane=%d: %v", req.LaneNo, err)
		http.Error(w, "booking failed", http.StatusInternalServerError)
		return
	}
	if clashes > 0 {
		http.Error(w, "lane already booked for that hour", http.StatusConflict)
		return
	}

	var id int64
	err = a.db.QueryRowxContext(ctx,
		`INSERT INTO lane_bookings (lane_no, member_id, bow_type, starts_at, ends_at)
		 VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		req.LaneNo, req.MemberID, req.Bow, req.StartsAt, endsAt).Scan(&id)
	if err != nil {
		log.Printf("insert lane booking: %v", err)
		http.Error(w, "booking failed", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"id": id, "lane_no": req.LaneNo, "ends_at": endsAt})
}
