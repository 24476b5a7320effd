package reservations

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

var ErrSlotFull = errors.New("slot full")

// smsClient is shared by all requests; the timeout covers dial, TLS, headers and body.
var smsClient = &http.Client{Timeout: 5 * time.Second}

type Store struct {
	DB  *sql.DB
	Log *slog.Logger
}

type BookingRequest struct {
	RestaurantID int64  `json:"restaurant_id"`
	SlotID       int64  `json:"slot_id"`
	PartySize    int    `json:"party_size"`
	GuestName    string `json:"guest_name"`
	Phone        string `json:"phone"`
}

// Book reserves covers in a seating slot. The slot row is locked for the
// duration of the transaction so two hosts/online guests can't oversell it.
func (s *Store) Book(ctx context.Context, req BookingRequest) (int64, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	var capacity, booked int
	err = tx.QueryRowContext(ctx, `
		SELECT capacity, covers_booked
		  FROM seating_slots
		 WHERE id = $1 AND restaurant_id = $2
		 FOR UPDATE`, req.SlotID, req.RestaurantID).Scan(&capacity, &booked)
	if err != nil {
		return 0, fmt.Errorf("load slot: %w", err)
	}
	if booked+req.PartySize > capacity {
		return 0, ErrSlotFull
	}

	if _, err := tx.ExecContext(ctx,
		`UPDATE seating_slots SET covers_booked = covers_booked + $1 WHERE id = $2`,
		req.PartySize, req.SlotID); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO bookings (restaurant_id, slot_id, party_size, guest_name, phone)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		req.RestaurantID, req.SlotID, req.PartySize, req.GuestName, req.Phone).Scan(&id); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

func (s *Store) HandleBook(w http.ResponseWriter, r *http.Request) {
	var req BookingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.PartySize < 1 {
		http.Error(w, "invalid request", http.StatusBadRequest)
		return
	}
	id, err := s.Book(r.Context(), req)
	switch {
	case errors.Is(err, ErrSlotFull):
		http.Error(w, "that time is fully booked", http.StatusConflict)
		return
	case err != nil:
		s.Log.Error("booking failed", "slot", req.SlotID, "err", err)
		http.Error(w, "could not book", http.StatusInternalServerError)
		return
	}

	if err := sendConfirmation(r.Context(), req.Phone, id); err != nil {
		// booking is committed; the SMS is best effort but we want to know
		s.Log.Warn("confirmation sms failed", "booking", id, "err", err)
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"booking_id": id})
}

func sendConfirmation(ctx context.Context, phone string, bookingID int64) error {
	form := url.Values{"to": {phone}, "body": {fmt.Sprintf("Your table is booked. Ref #%d", bookingID)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://sms.example.net/v1/messages", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := smsClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("sms provider status %d", resp.StatusCode)
	}
	return nil
}
