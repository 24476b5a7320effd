// Package ferry implements the car-deck booking API for the island ferry line.
//
// Here's a production-ready version of the booking endpoint using net/http and
// database/sql. It validates the request, checks the remaining lane metres on
// the sailing, stores the booking and lets the port gate system know which
// plate to expect. Payment confirmation arrives through the Stripe webhook.
package ferry

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"strconv"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Server wires the HTTP handlers to the shared database pool.
type Server struct {
	DB               *sql.DB
	Mailer           TicketMailer
	PortGateURL      string
	StripeWebhookKey string
}

type TicketMailer interface {
	SendBoardingPass(email string, bookingID int64) error
}

type bookingRequest struct {
	SailingID int64   `json:"sailing_id"`
	Plate     string  `json:"plate"`
	LengthM   float64 `json:"length_m"`
	Email     string  `json:"email"`
}

// Routes registers the booking routes on the given mux.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /bookings", s.createBooking)
	mux.HandleFunc("POST /webhooks/stripe", s.stripeWebhook)
}

// createBooking reserves deck space for one vehicle on a sailing.
func (s *Server) createBooking(w http.ResponseWriter, r *http.Request) {
	var req bookingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	if req.LengthM <= 0 || req.LengthM > 18 {
		http.Error(w, "vehicle length out of range", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	// 1. How many lane metres are still free on this sailing?
	var capacity, used float64
	err := s.DB.QueryRowContext(ctx, `
		SELECT s.deck_capacity_m, COALESCE(SUM(b.length_m), 0)
		  FROM sailings s
		  LEFT JOIN deck_bookings b ON b.sailing_id = s.id AND b.status <> 'cancelled'
		 WHERE s.id = $1
		 GROUP BY s.deck_capacity_m`, req.SailingID).Scan(&capacity, &used)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "sailing not found", http.StatusNotFound)
		return
	} else if err != nil {
		log.Printf("capacity lookup: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	// 2. Reject if the vehicle does not fit.
	if used+req.LengthM > capacity {
		http.Error(w, "car deck is full for this sailing", http.StatusConflict)
		return
	}

	// 3. Store the booking.
	var bookingID int64
	err = s.DB.QueryRowContext(ctx, `
		INSERT INTO deck_bookings (sailing_id, plate, length_m, email, status)
		VALUES ($1, $2, $3, $4, 'pending_payment')
		RETURNING id`, req.SailingID, req.Plate, req.LengthM, req.Email).Scan(&bookingID)
	if err != nil {
		log.Printf("insert booking: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	go s.notifyPortGate(req.SailingID, req.Plate)

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"booking_id": bookingID, "status": "pending_payment"})
}

// notifyPortGate tells the port's ANPR gate which plate to expect.
func (s *Server) notifyPortGate(sailingID int64, plate string) {
	body, _ := json.Marshal(map[string]any{"sailing_id": sailingID, "plate": plate})
	resp, err := http.Post(s.PortGateURL+"/expected-vehicles", "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("port gate notify failed: %v", err)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}

// stripeWebhook marks the booking as paid, credits a loyalty crossing and
// e-mails the boarding pass.
func (s *Server) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), s.StripeWebhookKey)
	if err != nil {
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	if event.Type != "checkout.session.completed" {
		w.WriteHeader(http.StatusOK)
		return
	}

	var cs stripe.CheckoutSession
	if err := json.Unmarshal(event.Data.Raw, &cs); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	bookingID, _ := strconv.ParseInt(cs.Metadata["booking_id"], 10, 64)
	ctx := r.Context()

	if _, err := s.DB.ExecContext(ctx, `UPDATE deck_bookings SET status = 'paid' WHERE id = $1`, bookingID); err != nil {
		http.Error(w, "db error", http.StatusInternalServerError)
		return
	}
	if _, err := s.DB.ExecContext(ctx,
		`UPDATE customers SET loyalty_crossings = loyalty_crossings + 1 WHERE email = $1`, cs.CustomerEmail); err != nil {
		log.Printf("loyalty credit: %v", err)
	}
	if err := s.Mailer.SendBoardingPass(cs.CustomerEmail, bookingID); err != nil {
		log.Printf("boarding pass mail: %v", err)
	}
	w.WriteHeader(http.StatusOK)
}
