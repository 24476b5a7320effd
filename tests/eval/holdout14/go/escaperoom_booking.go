// You're right that the original handler could double-book a room: two requests could both
// read the slot as "open" before either one wrote the booking. Below is a fixed version:
//
//  1. The slot row is locked with SELECT ... FOR UPDATE inside a transaction, so the
//     availability check and the booking insert happen atomically per slot.
//  2. The confirmation mailer uses one package-level http.Client with a Timeout instead
//     of a new client per request (connection reuse + bounded latency).
//  3. Errors are wrapped and logged; the email is sent after commit and never fails the booking.
package booking

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

var mailClient = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 10, IdleConnTimeout: 90 * time.Second},
}

var ErrSlotTaken = errors.New("slot already booked")

type Store struct{ DB *sql.DB }

// Book reserves a room slot for a party and returns the booking id.
func (s *Store) Book(ctx context.Context, slotID int64, party, email string, players int) (int64, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	var status string
	var capacity int
	err = tx.QueryRowContext(ctx,
		`SELECT status, capacity FROM room_slots WHERE id = $1 FOR UPDATE`, slotID).Scan(&status, &capacity)
	if err != nil {
		return 0, fmt.Errorf("lock slot %d: %w", slotID, err)
	}
	if status != "open" {
		return 0, ErrSlotTaken
	}
	if players > capacity {
		return 0, fmt.Errorf("party of %d exceeds room capacity %d", players, capacity)
	}

	var bookingID int64
	if err := tx.QueryRowContext(ctx,
		`INSERT INTO bookings (slot_id, party_name, email, players) VALUES ($1, $2, $3, $4) RETURNING id`,
		slotID, party, email, players).Scan(&bookingID); err != nil {
		return 0, fmt.Errorf("insert booking: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE room_slots SET status = 'booked' WHERE id = $1`, slotID); err != nil {
		return 0, fmt.Errorf("mark slot booked: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return bookingID, nil
}

func sendConfirmation(ctx context.Context, email string, bookingID int64) error {
	body, err := json.Marshal(map[string]any{"to": email, "template": "booking-confirmed", "booking_id": bookingID})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, os.Getenv("MAILER_URL")+"/send", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := mailClient.Do(req)
	if err != nil {
		return fmt.Errorf("mailer: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("mailer: status %d", resp.StatusCode)
	}
	return nil
}

type bookReq struct {
	SlotID  int64  `json:"slot_id"`
	Party   string `json:"party_name"`
	Email   string `json:"email"`
	Players int    `json:"players"`
}

// HandleBook is mounted at POST /api/bookings.
func (s *Store) HandleBook(w http.ResponseWriter, r *http.Request) {
	var in bookReq
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "invalid JSON", http.StatusBadRequest)
		return
	}
	id, err := s.Book(r.Context(), in.SlotID, in.Party, in.Email, in.Players)
	switch {
	case errors.Is(err, ErrSlotTaken):
		http.Error(w, "that time was just booked, pick another", http.StatusConflict)
		return
	case err != nil:
		log.Printf("book slot %d: %v", in.SlotID, err)
		http.Error(w, "could not book", http.StatusInternalServerError)
		return
	}
	if err := sendConfirmation(r.Context(), in.Email, id); err != nil {
		log.Printf("booking %d: confirmation email failed: %v", id, err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"booking_id": id})
}
