package pitches

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// Camping pitches for the folk festival. A pitch is held for 15 minutes while
// the camper pays; the hold lives on the pitch row itself, so an expired hold
// is simply overwritten by the next camper.

const holdFor = 15 * time.Minute

var ErrPitchTaken = errors.New("pitch is held or sold")

type Store struct {
	db *sql.DB // shared pool, configured in main (SetMaxOpenConns(20))
}

func NewStore(db *sql.DB) *Store { return &Store{db: db} }

// Hold claims the pitch for a camper in one statement. The WHERE clause only
// matches a pitch that is free or whose previous hold has lapsed.
func (s *Store) Hold(ctx context.Context, festivalID, pitchID, camperID int64) (time.Time, error) {
	until := time.Now().Add(holdFor)
	res, err := s.db.ExecContext(ctx,
		`UPDATE camping_pitches
		    SET held_by = $1, held_until = $2
		  WHERE id = $3 AND festival_id = $4 AND sold_to IS NULL
		    AND (held_by IS NULL OR held_until < now() OR held_by = $1)`,
		camperID, until, pitchID, festivalID)
	if err != nil {
		return time.Time{}, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return time.Time{}, err
	}
	if n == 0 {
		return time.Time{}, ErrPitchTaken
	}
	return until, nil
}

type Handler struct {
	Store *Store
}

func (h *Handler) Routes(r chi.Router) {
	r.Post("/festivals/{festivalID}/pitches/{pitchID}/hold", h.hold)
}

func (h *Handler) hold(w http.ResponseWriter, r *http.Request) {
	festivalID, err1 := strconv.ParseInt(chi.URLParam(r, "festivalID"), 10, 64)
	pitchID, err2 := strconv.ParseInt(chi.URLParam(r, "pitchID"), 10, 64)
	if err1 != nil || err2 != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	camperID, ok := r.Context().Value(camperKey{}).(int64)
	if !ok {
		http.Error(w, "sign in first", http.StatusUnauthorized)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	until, err := h.Store.Hold(ctx, festivalID, pitchID, camperID)
	switch {
	case errors.Is(err, ErrPitchTaken):
		http.Error(w, "someone else is booking that pitch", http.StatusConflict)
		return
	case err != nil:
		log.Printf("pitches: hold %d/%d: %v", festivalID, pitchID, err)
		http.Error(w, "could not hold pitch", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]any{"pitch_id": pitchID, "held_until": until}); err != nil {
		log.Printf("pitches: encode: %v", err)
	}
}

type camperKey struct{}
