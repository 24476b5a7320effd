package workshops

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

var ErrWorkshopFull = errors.New("workshop is full")

type Mailer interface {
	SendConfirmation(ctx context.Context, to string, workshopID int64) error
}

type PlaceService struct {
	db     *sql.DB
	mailer Mailer
}

type Place struct {
	ID         int64  `json:"id"`
	WorkshopID int64  `json:"workshop_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	PaperSize  string `json:"paper_size"` // A2 or A1 rubbing paper
	Confirmed  bool   `json:"confirmation_sent"`
}

// ReservePlace takes one place on a brass rubbing workshop run by a church
// (each church is a separate account on the platform).
func (s *PlaceService) ReservePlace(ctx context.Context, churchID, workshopID int64, p Place) (Place, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Place{}, err
	}
	defer tx.Rollback()

	var placesLeft int
	err = tx.QueryRowContext(ctx, `SELECT places_left FROM rubbing_workshops WHERE id = $1 AND church_id = $2`, workshopID, churchID).Scan(&placesLeft)
	if err != nil {
		return Place{}, err
	}
	if placesLeft <= 0 {
		return Place{}, ErrWorkshopFull
	}

	if _, err = tx.ExecContext(ctx,
		`UPDATE rubbing_workshops SET places_left = places_left - 1 WHERE id = $1 AND church_id = $2`,
		workshopID, churchID); err != nil {
		return Place{}, err
	}

	err = tx.QueryRowContext(ctx,
		`INSERT INTO rubbing_places (church_id, workshop_id, name, email, paper_size)
		 VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		churchID, workshopID, p.Name, p.Email, p.PaperSize).Scan(&p.ID)
	if err != nil {
		return Place{}, err
	}
	if err = tx.Commit(); err != nil {
		return Place{}, err
	}
	p.WorkshopID = workshopID

	// Confirmation includes the church's parking notes and the brass list.
	if err := s.mailer.SendConfirmation(ctx, p.Email, workshopID); err != nil {
		return p, nil // the place itself is already committed
	}
	p.Confirmed = true
	return p, nil
}

// POST /churches/{churchID}/workshops/{workshopID}/places
func (s *PlaceService) HandleReserve(w http.ResponseWriter, r *http.Request) {
	churchID, _ := strconv.ParseInt(chi.URLParam(r, "churchID"), 10, 64)
	workshopID, _ := strconv.ParseInt(chi.URLParam(r, "workshopID"), 10, 64)

	var body Place
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	if body.PaperSize != "A1" && body.PaperSize != "A2" {
		http.Error(w, "paper_size must be A1 or A2", http.StatusBadRequest)
		return
	}

	place, err := s.ReservePlace(r.Context(), churchID, workshopID, body)
	switch {
	case errors.Is(err, ErrWorkshopFull):
		http.Error(w, "no places left", http.StatusConflict)
		return
	case errors.Is(err, sql.ErrNoRows):
		http.NotFound(w, r)
		return
	case err != nil:
		log.Printf("reserve place church=%d workshop=%d: %v", churchID, workshopID, err)
		http.Error(w, "could not reserve", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(place)
}
