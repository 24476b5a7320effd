package coworking

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

var ErrDeskTaken = errors.New("desk already booked for that day")

type BookingService struct {
	db *sql.DB
}

// BookDesk reserves a hot desk for one day. The desk row is locked for the
// duration of the transaction so two members cannot grab the same desk.
func (s *BookingService) BookDesk(ctx context.Context, spaceID, deskID, memberID int64, day time.Time) (int64, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	var capacity int
	if err := tx.QueryRowContext(ctx,
		`SELECT capacity FROM desks WHERE id = $1 AND space_id = $2 FOR UPDATE`,
		deskID, spaceID).Scan(&capacity); err != nil {
		return 0, err
	}

	var booked int
	if err := tx.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM desk_bookings WHERE desk_id = $1 AND space_id = $2 AND day = $3`,
		deskID, spaceID, day).Scan(&booked); err != nil {
		return 0, err
	}
	if booked >= capacity {
		return 0, ErrDeskTaken
	}

	var id int64
	if err := tx.QueryRowContext(ctx,
		`INSERT INTO desk_bookings (space_id, desk_id, member_id, day) VALUES ($1, $2, $3, $4) RETURNING id`,
		spaceID, deskID, memberID, day).Scan(&id); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

type Handler struct {
	svc *BookingService
}

func (h *Handler) Routes(r chi.Router) {
	r.Post("/spaces/{spaceID}/desks/{deskID}/bookings", h.create)
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	spaceID, _ := strconv.ParseInt(chi.URLParam(r, "spaceID"), 10, 64)
	deskID, _ := strconv.ParseInt(chi.URLParam(r, "deskID"), 10, 64)
	memberID := MemberIDFromContext(r.Context())

	day, err := time.Parse("2006-01-02", r.URL.Query().Get("day"))
	if err != nil {
		http.Error(w, "day must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	id, err := h.svc.BookDesk(ctx, spaceID, deskID, memberID, day)
	switch {
	case errors.Is(err, ErrDeskTaken):
		http.Error(w, err.Error(), http.StatusConflict)
		return
	case errors.Is(err, sql.ErrNoRows):
		http.NotFound(w, r)
		return
	case err != nil:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"booking_id": id})
}
