package pressing

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

// Slots on the shared hydraulic press are 45 minutes long. Members reserve
// bushels in a slot from the orchard app; the reservation is held for 20
// minutes while they confirm the fruit variety and bring the paperwork.
const holdWindow = 20 * time.Minute

type Handler struct {
	DB  *sql.DB
	Log *slog.Logger
}

type reserveRequest struct {
	MemberID int64 `json:"member_id"`
	Bushels  int   `json:"bushels"`
}

type slotStatus struct {
	SlotID   int64     `json:"slot_id"`
	Starts   time.Time `json:"starts"`
	Capacity int       `json:"capacity"`
	Held     int       `json:"held"`
}

func (h *Handler) Routes(r chi.Router) {
	r.Get("/press-slots/{slotID}", h.status)
	r.Post("/press-slots/{slotID}/reserve", h.reserve)
}

func (h *Handler) reserve(w http.ResponseWriter, r *http.Request) {
	slotID, err := strconv.ParseInt(chi.URLParam(r, "slotID"), 10, 64)
	if err != nil {
		http.Error(w, "bad slot id", http.StatusBadRequest)
		return
	}
	var req reserveRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Bushels <= 0 || req.Bushels > 40 {
		http.Error(w, "invalid reservation", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	// How much of the slot is already spoken for by live holds.
	var capacity, held int
	err = h.DB.QueryRowContext(ctx, `SELECT s.bushel_capacity, COALESCE(SUM(ph.bushels), 0)
		FROM press_slots s
		LEFT JOIN press_holds ph ON ph.slot_id = s.id AND ph.expires_at > now()
		WHERE s.id = $1
		GROUP BY s.bushel_capacity`, slotID).Scan(&capacity, &held)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "no such slot", http.StatusNotFound)
		return
	}
	if err != nil {
		h.Log.Error("load press slot", "slot", slotID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if held+req.Bushels > capacity {
		http.Error(w, "not enough room left in this slot", http.StatusConflict)
		return
	}

	expires := time.Now().Add(holdWindow)
	_, err = h.DB.ExecContext(ctx,
		`INSERT INTO press_holds (slot_id, member_id, bushels, expires_at) VALUES ($1, $2, $3, $4)`,
		slotID, req.MemberID, req.Bushels, expires)
	if err != nil {
		h.Log.Error("insert press hold", "slot", slotID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	h.writeJSON(w, http.StatusCreated, map[string]any{"slot_id": slotID, "held_until": expires})
}

func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	slotID, err := strconv.ParseInt(chi.URLParam(r, "slotID"), 10, 64)
	if err != nil {
		http.Error(w, "bad slot id", http.StatusBadRequest)
		return
	}
	var st slotStatus
	err = h.DB.QueryRowContext(r.Context(), `
		SELECT s.id, s.starts_at, s.bushel_capacity, COALESCE(SUM(ph.bushels), 0)
		FROM press_slots s
		LEFT JOIN press_holds ph ON ph.slot_id = s.id AND ph.expires_at > now()
		WHERE s.id = $1
		GROUP BY s.id, s.starts_at, s.bushel_capacity`, slotID).Scan(&st.SlotID, &st.Starts, &st.Capacity, &st.Held)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "no such slot", http.StatusNotFound)
		return
	}
	if err != nil {
		h.Log.Error("slot status", "slot", slotID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h.writeJSON(w, http.StatusOK, st)
}

func (h *Handler) writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		h.Log.Warn("write response", "err", err)
	}
}
