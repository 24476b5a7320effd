package robes

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// The choir wardrobe: members borrow a robe for the concert season and hand
// it back at the AGM. The wardrobe mistress uses the same API from her laptop
// to see which robes are out.

type Store struct {
	db *sql.DB
}

type loanRequest struct {
	RobeID   int64  `json:"robe_id"`
	MemberID int64  `json:"member_id"`
	DueBack  string `json:"due_back"` // YYYY-MM-DD
}

func Routes(s *Store) http.Handler {
	r := chi.NewRouter()
	r.Post("/loans", s.createLoan)
	r.Post("/loans/{loanID}/return", s.returnLoan)
	return r
}

func (s *Store) createLoan(w http.ResponseWriter, r *http.Request) {
	var req loanRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.RobeID == 0 || req.MemberID == 0 {
		http.Error(w, "robe_id and member_id are required", http.StatusBadRequest)
		return
	}
	dueBack, err := time.Parse("2006-01-02", req.DueBack)
	if err != nil {
		http.Error(w, "due_back must be YYYY-MM-DD", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	// A robe can only be with one singer at a time.
	var openLoans int
	err = s.db.QueryRowContext(ctx,
		`SELECT count(*) FROM robe_loans WHERE robe_id = $1 AND returned_at IS NULL`, req.RobeID).Scan(&openLoans)
	if err != nil {
		log.Printf("robe %d: open-loan lookup: %v", req.RobeID, err)
		http.Error(w, "could not check robe", http.StatusInternalServerError)
		return
	}
	if openLoans > 0 {
		http.Error(w, "robe is already out on loan", http.StatusConflict)
		return
	}

	var loanID int64
	err = s.db.QueryRowContext(ctx, `
		INSERT INTO robe_loans (robe_id, member_id, due_back, issued_at)
		VALUES ($1, $2, $3, now())
		RETURNING id`, req.RobeID, req.MemberID, dueBack).Scan(&loanID)
	if err != nil {
		log.Printf("robe %d: insert loan: %v", req.RobeID, err)
		http.Error(w, "could not record loan", http.StatusInternalServerError)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]int64{"loan_id": loanID})
}

func (s *Store) returnLoan(w http.ResponseWriter, r *http.Request) {
	loanID, err := strconv.ParseInt(chi.URLParam(r, "loanID"), 10, 64)
	if err != nil {
		http.Error(w, "bad loan id", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	res, err := s.db.ExecContext(ctx,
		`UPDATE robe_loans SET returned_at = now() WHERE id = $1 AND returned_at IS NULL`, loanID)
	if err != nil {
		log.Printf("loan %d: mark returned: %v", loanID, err)
		http.Error(w, "could not record return", http.StatusInternalServerError)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.Error(w, "loan not found or already returned", http.StatusNotFound)
		return
	}

	// Put the robe back on the rail so it shows as available in the wardrobe list.
	_, railErr := s.db.ExecContext(ctx, `UPDATE robes SET status = 'available', last_returned_at = now()
		WHERE id = (SELECT robe_id FROM robe_loans WHERE id = $1)`, loanID)
	if railErr != nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
