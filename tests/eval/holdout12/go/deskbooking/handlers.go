package deskbooking

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// Handler serves the desk-booking API; each workspace (tenant) has its own desks and members.
type Handler struct {
	DB  *sql.DB
	Log *slog.Logger
}

type Booking struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"workspace_id"`
	DeskID      int64     `json:"desk_id"`
	MemberID    int64     `json:"member_id"`
	Day         string    `json:"day"`
	Status      string    `json:"status"`
	HoldUntil   time.Time `json:"hold_until"`
}

func (h *Handler) Routes(r chi.Router) {
	r.Route("/workspaces/{ws}", func(r chi.Router) {
		r.Post("/holds", h.holdDesk)
		r.Post("/bookings/{id}/confirm", h.confirm)
	})
	r.Get("/bookings/{id}", h.getBooking)
}

func (h *Handler) holdDesk(w http.ResponseWriter, r *http.Request) {
	ws, _ := strconv.ParseInt(chi.URLParam(r, "ws"), 10, 64)
	member := MemberID(r.Context())
	var req struct {
		DeskID int64  `json:"desk_id"`
		Day    string `json:"day"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}

	var taken int
	err := h.DB.QueryRowContext(r.Context(), `
		SELECT count(*) FROM desk_bookings
		WHERE workspace_id = $1 AND desk_id = $2 AND day = $3
		  AND (status = 'confirmed' OR hold_until > now())`,
		ws, req.DeskID, req.Day).Scan(&taken)
	if err != nil {
		h.fail(w, err)
		return
	}
	// freed-up desks: anything whose hold has lapsed counts as available again
	if taken > 0 {
		http.Error(w, "desk already taken for that day", http.StatusConflict)
		return
	}

	// 15 minute hold while the member goes through checkout
	var b Booking
	err = h.DB.QueryRowContext(r.Context(), `
		INSERT INTO desk_bookings (workspace_id, desk_id, member_id, day, status, hold_until)
		VALUES ($1, $2, $3, $4, 'held', now() + interval '15 minutes')
		RETURNING id, workspace_id, desk_id, member_id, day, status, hold_until`,
		ws, req.DeskID, member, req.Day).
		Scan(&b.ID, &b.WorkspaceID, &b.DeskID, &b.MemberID, &b.Day, &b.Status, &b.HoldUntil)
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	res, err := h.DB.ExecContext(r.Context(), `
		UPDATE desk_bookings SET status = 'confirmed'
		WHERE id = $1 AND workspace_id = $2 AND member_id = $3
		  AND status = 'held' AND hold_until > now()`,
		chi.URLParam(r, "id"), chi.URLParam(r, "ws"), MemberID(r.Context()))
	if err != nil {
		h.fail(w, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "hold expired or not found", http.StatusGone)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// getBooking backs the booking detail screen in the mobile app.
func (h *Handler) getBooking(w http.ResponseWriter, r *http.Request) {
	var b Booking
	err := h.DB.QueryRowContext(r.Context(), `
		SELECT id, workspace_id, desk_id, member_id, day, status, hold_until
		FROM desk_bookings WHERE id = $1`, chi.URLParam(r, "id")).
		Scan(&b.ID, &b.WorkspaceID, &b.DeskID, &b.MemberID, &b.Day, &b.Status, &b.HoldUntil)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (h *Handler) fail(w http.ResponseWriter, err error) {
	h.Log.Error("deskbooking", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
