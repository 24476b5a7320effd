// Package booking: here's a production-ready implementation of the gym class
// booking endpoint using chi and database/sql. It validates the membership,
// checks the remaining capacity, creates the booking and notifies the member
// asynchronously so the request stays fast.
package booking

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// Handler wires the booking routes. DB is the shared *sql.DB pool.
type Handler struct {
	DB        *sql.DB
	NotifyURL string // internal notification service
}

type bookingRequest struct {
	MemberID int64 `json:"member_id"`
}

var errNoMembership = errors.New("no active membership")

// BookClass (POST /classes/{classID}/bookings) reserves one spot for the member.
func (h *Handler) BookClass(w http.ResponseWriter, r *http.Request) {
	classID, err := strconv.ParseInt(chi.URLParam(r, "classID"), 10, 64)
	if err != nil {
		http.Error(w, "invalid class id", http.StatusBadRequest)
		return
	}
	var req bookingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	if err := h.ensureActiveMembership(ctx, req.MemberID); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}

	// 1. Make sure there is still room in the class.
	free, startsAt, err := h.spotsLeft(ctx, classID)
	if err != nil {
		slog.Error("spots left", "class", classID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	} else if free <= 0 {
		http.Error(w, "class is full", http.StatusConflict)
		return
	}

	// 2. Create the booking.
	id, err := h.insertBooking(ctx, classID, req.MemberID)
	if err != nil {
		slog.Error("insert booking", "class", classID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	// 3. Fire-and-forget confirmation (doesn't block the response).
	go h.notify(req.MemberID, classID, startsAt)

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"booking_id": id, "class_id": classID, "starts_at": startsAt})
}

func (h *Handler) ensureActiveMembership(ctx context.Context, memberID int64) error {
	var ok bool
	err := h.DB.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM memberships WHERE member_id = $1 AND status = 'active' AND valid_until > now())`,
		memberID).Scan(&ok)
	if err == nil && !ok {
		return errNoMembership
	}
	return err
}

// spotsLeft returns how many spots are still available in the class.
func (h *Handler) spotsLeft(ctx context.Context, classID int64) (int, time.Time, error) {
	var capacity, booked int
	var startsAt time.Time
	err := h.DB.QueryRowContext(ctx, `
		SELECT c.capacity, c.starts_at,
		       (SELECT count(*) FROM class_bookings b
		         WHERE b.class_id = c.id AND b.cancelled_at IS NULL)
		  FROM gym_classes c
		 WHERE c.id = $1`, classID).Scan(&capacity, &startsAt, &booked)
	return capacity - booked, startsAt, err
}

func (h *Handler) insertBooking(ctx context.Context, classID, memberID int64) (int64, error) {
	var id int64
	err := h.DB.QueryRowContext(ctx,
		`INSERT INTO class_bookings (class_id, member_id, created_at) VALUES ($1, $2, now()) RETURNING id`,
		classID, memberID).Scan(&id)
	return id, err
}

func (h *Handler) notify(memberID, classID int64, startsAt time.Time) {
	body, _ := json.Marshal(map[string]any{"template": "class_booked", "member_id": memberID, "class_id": classID, "starts_at": startsAt})
	resp, err := http.Post(h.NotifyURL+"/v1/messages", "application/json", bytes.NewReader(body))
	if err != nil {
		slog.Error("notify member", "member", memberID, "err", err)
		return
	}
	resp.Body.Close()
}
