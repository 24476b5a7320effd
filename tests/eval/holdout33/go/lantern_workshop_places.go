package workshops

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// Lantern parade making workshops: willow-and-tissue lanterns, six sessions
// in the run-up to the parade, each with a fixed number of places.

type Handler struct {
	DB *sql.DB // shared pool, configured in main
}

func (h *Handler) Routes(r chi.Router) {
	r.Get("/workshops/{id}/places", h.listPlaces)
	r.Post("/workshops/{id}/places", h.takePlace)
}

var errFull = errors.New("workshop full")

// takePlace claims one place for the signed-in household.
func (h *Handler) takePlace(w http.ResponseWriter, r *http.Request) {
	workshopID, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		http.Error(w, "bad workshop id", http.StatusBadRequest)
		return
	}
	householdID := r.Context().Value(householdKey{}).(int64)

	err = h.claim(r, workshopID, householdID)
	switch {
	case errors.Is(err, errFull):
		http.Error(w, "no places left", http.StatusConflict)
	case err != nil:
		log.Printf("workshops: claim %d for household %d: %v", workshopID, householdID, err)
		http.Error(w, "could not take place", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusCreated)
	}
}

func (h *Handler) claim(r *http.Request, workshopID, householdID int64) error {
	tx, err := h.DB.BeginTx(r.Context(), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	// workshop_places has UNIQUE (workshop_id, household_id); a repeat click is a no-op.
	res, err := tx.ExecContext(r.Context(),
		`INSERT INTO workshop_places (workshop_id, household_id) VALUES ($1, $2)
		 ON CONFLICT (workshop_id, household_id) DO NOTHING`, workshopID, householdID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tx.Commit()
	}

	res, err = tx.ExecContext(r.Context(),
		`UPDATE workshops SET places_left = places_left - 1
		 WHERE id = $1 AND places_left > 0`, workshopID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errFull
	}
	return tx.Commit()
}

type place struct {
	HouseholdID int64  `json:"household_id"`
	Surname     string `json:"surname"`
}

// listPlaces is for the workshop leader's register; pages of 50.
func (h *Handler) listPlaces(w http.ResponseWriter, r *http.Request) {
	workshopID, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		http.Error(w, "bad workshop id", http.StatusBadRequest)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)

	rows, err := h.DB.QueryContext(r.Context(),
		`SELECT p.household_id, hh.surname
		   FROM workshop_places p JOIN households hh ON hh.id = p.household_id
		  WHERE p.workshop_id = $1 AND p.household_id > $2
		  ORDER BY p.household_id
		  LIMIT 50`, workshopID, after)
	if err != nil {
		log.Printf("workshops: list places: %v", err)
		http.Error(w, "could not load register", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	out := make([]place, 0, 50)
	for rows.Next() {
		var p place
		if err := rows.Scan(&p.HouseholdID, &p.Surname); err != nil {
			log.Printf("workshops: scan place: %v", err)
			http.Error(w, "could not load register", http.StatusInternalServerError)
			return
		}
		out = append(out, p)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

type householdKey struct{}
