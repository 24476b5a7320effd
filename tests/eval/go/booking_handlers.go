package booking

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

type Handler struct {
	DB *sql.DB
}

type holdRequest struct {
	UserID int64 `json:"user_id"`
}

func (h *Handler) HoldSeat(w http.ResponseWriter, r *http.Request) {
	seatID, err := strconv.ParseInt(chi.URLParam(r, "seatID"), 10, 64)
	if err != nil {
		http.Error(w, "bad seat id", http.StatusBadRequest)
		return
	}
	var req holdRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}

	var status string
	err = h.DB.QueryRowContext(r.Context(), "SELECT status FROM seats WHERE id = $1", seatID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if status != "free" {
		http.Error(w, "seat taken", http.StatusConflict)
		return
	}
	if _, err := h.DB.ExecContext(r.Context(),
		"UPDATE seats SET status = 'held', held_by = $1 WHERE id = $2", req.UserID, seatID); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (h *Handler) ReleaseSeat(w http.ResponseWriter, r *http.Request) {
	seatID, _ := strconv.ParseInt(chi.URLParam(r, "seatID"), 10, 64)
	userID, _ := strconv.ParseInt(r.URL.Query().Get("user_id"), 10, 64)
	res, err := h.DB.ExecContext(r.Context(),
		"UPDATE seats SET status = 'free', held_by = NULL WHERE id = $1 AND held_by = $2", seatID, userID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "not your hold", http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) ClaimSeat(w http.ResponseWriter, r *http.Request) {
	seatID, _ := strconv.ParseInt(chi.URLParam(r, "seatID"), 10, 64)
	var req holdRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	res, err := h.DB.ExecContext(r.Context(),
		"UPDATE seats SET status = 'held', held_by = $1 WHERE id = $2 AND status = 'free'", req.UserID, seatID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "seat taken", http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusCreated)
}
