// Package coppice runs sign-ups for the Hawkwood Community Woodland
// coppicing days (hazel cutting, hedge laying, charcoal burns).
package coppice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"time"
)

var (
	errNoSuchDay     = errors.New("no such upcoming day")
	errDayFull       = errors.New("day is full")
	errAlreadySigned = errors.New("already signed up")
)

type Server struct {
	db *sql.DB
}

func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /days/{dayID}/signups", s.SignUp)
}

// SignUp handles POST /days/{dayID}/signups for the signed-in volunteer.
func (s *Server) SignUp(w http.ResponseWriter, r *http.Request) {
	dayID, err := strconv.ParseInt(r.PathValue("dayID"), 10, 64)
	if err != nil {
		http.Error(w, "bad day id", http.StatusBadRequest)
		return
	}
	vol, ok := volunteerFromSession(r)
	if !ok {
		http.Error(w, "please sign in", http.StatusUnauthorized)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	switch err := s.signUp(ctx, dayID, vol.ID); {
	case errors.Is(err, errNoSuchDay):
		http.Error(w, err.Error(), http.StatusNotFound)
	case errors.Is(err, errDayFull):
		http.Error(w, "sorry, this day is full - try the waiting list", http.StatusConflict)
	case errors.Is(err, errAlreadySigned):
		writeJSON(w, http.StatusOK, map[string]string{"status": "already signed up"})
	case err != nil:
		log.Printf("coppice signup day=%d volunteer=%d: %v", dayID, vol.ID, err)
		http.Error(w, "something went wrong", http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusCreated, map[string]string{"status": "signed up"})
	}
}

// signUp locks the day row while it checks the head count, so two people
// taking the last place serialise on the lock.
func (s *Server) signUp(ctx context.Context, dayID, volunteerID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var capacity, taken int
	err = tx.QueryRowContext(ctx, `
		SELECT capacity, places_taken
		  FROM coppice_days
		 WHERE id = $1 AND starts_at > now()
		   FOR UPDATE`, dayID).Scan(&capacity, &taken)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoSuchDay
	}
	if err != nil {
		return err
	}
	if taken >= capacity {
		return errDayFull
	}

	res, err := tx.ExecContext(ctx, `
		INSERT INTO coppice_signups (day_id, volunteer_id)
		VALUES ($1, $2)
		ON CONFLICT (day_id, volunteer_id) DO NOTHING`, dayID, volunteerID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errAlreadySigned
	}

	if _, err := tx.ExecContext(ctx,
		`UPDATE coppice_days SET places_taken = places_taken + 1 WHERE id = $1`, dayID); err != nil {
		return err
	}
	return tx.Commit()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}
